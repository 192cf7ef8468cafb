using Dendrite.Layers;
using Dendrite.Onnx.Protobuf;

namespace Dendrite.Onnx.Converters;

/// <summary>
/// Maps each built-in activation (the members of <see cref="Activations"/>, recognised by reference, never by name)
/// to ONNX operators: one operator where the opset has it, otherwise the same formula Dendrite computes, composed.
/// </summary>
internal static class ActivationConverter
{
    private delegate string Emitter(string x, string output, OnnxGraph g);

    private const float SeluAlpha = 1.6732632423543772f, SeluScale = 1.0507009873554805f, InvSqrt2 = 0.70710678118654752f;

    private static readonly Dictionary<ActivationFunction, Emitter> Emitters = new(ReferenceEqualityComparer.Instance)
    {
        [Activations.Relu] = (x, y, g) => g.Node("Relu", [x], y),
        [Activations.Relu6] = (x, y, g) => g.Node("Clip", [x, g.Scalar(0f), g.Scalar(6f)], y),
        [Activations.LeakyRelu] = (x, y, g) => g.Node("LeakyRelu", [x], y, AttributeProto.Float("alpha", 0.2f)),
        [Activations.Elu] = (x, y, g) => g.Node("Elu", [x], y, AttributeProto.Float("alpha", 1f)),
        [Activations.Selu] = (x, y, g) => g.Node("Selu", [x], y, AttributeProto.Float("alpha", SeluAlpha), AttributeProto.Float("gamma", SeluScale)),
        [Activations.Gelu] = Gelu,
        [Activations.Sigmoid] = (x, y, g) => g.Node("Sigmoid", [x], y),
        [Activations.HardSigmoid] = (x, y, g) => g.Node("HardSigmoid", [x], y, AttributeProto.Float("alpha", 1f / 6f), AttributeProto.Float("beta", 0.5f)),
        [Activations.HardSigmoidKeras2] = (x, y, g) => g.Node("HardSigmoid", [x], y, AttributeProto.Float("alpha", 0.2f), AttributeProto.Float("beta", 0.5f)),
        [Activations.Tanh] = (x, y, g) => g.Node("Tanh", [x], y),
        [Activations.Softplus] = (x, y, g) => g.Node("Softplus", [x], y),
        [Activations.Softsign] = (x, y, g) => g.Node("Softsign", [x], y),
        [Activations.Silu] = (x, y, g) => g.Node("Mul", [x, g.Node("Sigmoid", [x], g.Temp(y, "Sigmoid"))], y),
        [Activations.Mish] = (x, y, g) =>
            g.Node("Mul", [x, g.Node("Tanh", [g.Node("Softplus", [x], g.Temp(y, "Softplus"))], g.Temp(y, "Tanh"))], y),
        [Activations.Exponential] = (x, y, g) => g.Node("Exp", [x], y),
        [Activations.Softmax] = (x, y, g) => g.Node("Softmax", [x], y, AttributeProto.Int("axis", -1)),
        [Activations.LogSoftmax] = (x, y, g) => g.Node("LogSoftmax", [x], y, AttributeProto.Int("axis", -1)),
        [Activations.Heaviside] = (x, y, g) =>
            g.Node("Cast", [g.Node("GreaterOrEqual", [x, g.Scalar(0f)], g.Temp(y, "GreaterOrEqual"))], y, AttributeProto.Int("to", TensorProto.Float)),
        [Activations.Sign] = (x, y, g) => g.Node("Sign", [x], y),
    };

    /// <summary>The activations with an ONNX mapping, by Keras name.</summary>
    public static IEnumerable<string> SupportedNames => Emitters.Keys.Select(a => a.Name).Append(Activations.Linear.Name).Order();

    /// <summary>True for the identity (no node is emitted).</summary>
    public static bool IsIdentity(ActivationFunction f) => ReferenceEquals(f, Activations.Linear);

    /// <summary>Throws, naming the layer and the activation, when the activation has no mapping.</summary>
    public static void Check(ActivationFunction f, Layer layer)
    {
        if (IsIdentity(f) || Emitters.ContainsKey(f)) return;
        throw new NotSupportedException(
            $"ONNX export: layer '{layer.Name}' ({layer.ClassName}) uses activation '{f.Name}', a user-defined function with no ONNX operator mapping. " +
            $"Activations that export: {string.Join(", ", SupportedNames)}.");
    }

    /// <summary>Applies the activation to <paramref name="x"/>; the result is named <paramref name="output"/> (or is x for the identity).</summary>
    public static string Emit(ActivationFunction f, string x, string output, OnnxGraph g, Layer layer)
    {
        Check(f, layer);
        return IsIdentity(f) ? x : Emitters[f](x, output, g);
    }

    // Exact GELU as Dendrite computes it: 0.5 x (1 + erf(x / sqrt 2)) (the Gelu operator arrives only in opset 20).
    private static string Gelu(string x, string y, OnnxGraph g)
    {
        string scaled = g.Node("Mul", [x, g.Scalar(InvSqrt2)], g.Temp(y, "Mul"));
        string erf = g.Node("Erf", [scaled], g.Temp(y, "Erf"));
        string onePlus = g.Node("Add", [erf, g.Scalar(1f)], g.Temp(y, "Add"));
        string half = g.Node("Mul", [x, g.Scalar(0.5f)], g.Temp(y, "Mul"));
        return g.Node("Mul", [half, onePlus], y);
    }
}
