using Dendrite.Backends;

namespace Dendrite;

/// <summary>The Keras activations, by name (<see cref="Get"/>) or as members.</summary>
public static class Activations
{
    /// <summary>Identity.</summary>
    public static readonly ActivationFunction Linear = new("linear", x => x, null, linear: true);
    /// <summary>max(x, 0).</summary>
    public static readonly ActivationFunction Relu = new("relu", Ops.Relu, UnaryOp.Relu);
    /// <summary>min(max(x, 0), 6).</summary>
    public static readonly ActivationFunction Relu6 = new("relu6", Ops.Relu6, UnaryOp.Relu6);
    /// <summary>Leaky ReLU with Keras's function slope 0.2.</summary>
    public static readonly ActivationFunction LeakyRelu = new("leaky_relu", x => Ops.LeakyRelu(x, 0.2f), UnaryOp.LeakyRelu, 0.2f);
    /// <summary>ELU, alpha 1.</summary>
    public static readonly ActivationFunction Elu = new("elu", x => Ops.Elu(x), UnaryOp.Elu, 1f);
    /// <summary>SELU.</summary>
    public static readonly ActivationFunction Selu = new("selu", Ops.Selu, UnaryOp.Selu);
    /// <summary>Exact GELU.</summary>
    public static readonly ActivationFunction Gelu = new("gelu", x => Ops.Gelu(x), UnaryOp.Gelu);
    /// <summary>Logistic sigmoid.</summary>
    public static readonly ActivationFunction Sigmoid = new("sigmoid", Ops.Sigmoid, UnaryOp.Sigmoid);
    /// <summary>Keras 3 hard sigmoid.</summary>
    public static readonly ActivationFunction HardSigmoid = new("hard_sigmoid", Ops.HardSigmoid, UnaryOp.HardSigmoid);
    /// <summary>
    /// Keras 2's hard sigmoid, clip(0.2 x + 0.5, 0, 1): slope 0.2 where Keras 3's <see cref="HardSigmoid"/> has 1/6.
    /// Files written by Keras 1.x/2.x that name "hard_sigmoid" (typically an LSTM's or GRU's recurrent_activation)
    /// load with this one, so that they compute what they were trained with.
    /// </summary>
    public static readonly ActivationFunction HardSigmoidKeras2 = new("hard_sigmoid_keras2", Ops.HardSigmoidKeras2, UnaryOp.HardSigmoidKeras2);
    /// <summary>Hyperbolic tangent.</summary>
    public static readonly ActivationFunction Tanh = new("tanh", Ops.Tanh, UnaryOp.Tanh);
    /// <summary>Softplus.</summary>
    public static readonly ActivationFunction Softplus = new("softplus", Ops.Softplus, UnaryOp.Softplus);
    /// <summary>Softsign.</summary>
    public static readonly ActivationFunction Softsign = new("softsign", Ops.Softsign, UnaryOp.Softsign);
    /// <summary>SiLU / swish.</summary>
    public static readonly ActivationFunction Silu = new("silu", Ops.Silu, UnaryOp.Silu);
    /// <summary>Mish.</summary>
    public static readonly ActivationFunction Mish = new("mish", Ops.Mish, UnaryOp.Mish);
    /// <summary>e^x.</summary>
    public static readonly ActivationFunction Exponential = new("exponential", Ops.Exp, UnaryOp.Exp);
    /// <summary>Softmax over the last axis.</summary>
    public static readonly ActivationFunction Softmax = new("softmax", x => Ops.Softmax(x), null, softmax: true);
    /// <summary>Log-softmax over the last axis.</summary>
    public static readonly ActivationFunction LogSoftmax = new("log_softmax", x => Ops.LogSoftmax(x));
    /// <summary>Heaviside step (1 where x &gt;= 0): the perceptron's threshold; zero gradient.</summary>
    public static readonly ActivationFunction Heaviside = new("heaviside", Ops.Heaviside);
    /// <summary>Sign (-1, 0, 1); zero gradient.</summary>
    public static readonly ActivationFunction Sign = new("sign", Ops.Sign);

    private static readonly Dictionary<string, ActivationFunction> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["linear"] = Linear, ["relu"] = Relu, ["relu6"] = Relu6, ["leaky_relu"] = LeakyRelu, ["elu"] = Elu,
        ["selu"] = Selu, ["gelu"] = Gelu, ["sigmoid"] = Sigmoid, ["hard_sigmoid"] = HardSigmoid,
        ["hard_sigmoid_keras2"] = HardSigmoidKeras2, ["tanh"] = Tanh,
        ["softplus"] = Softplus, ["softsign"] = Softsign, ["silu"] = Silu, ["swish"] = Silu, ["mish"] = Mish,
        ["exponential"] = Exponential, ["softmax"] = Softmax, ["log_softmax"] = LogSoftmax,
        ["heaviside"] = Heaviside, ["step"] = Heaviside, ["sign"] = Sign,
    };

    /// <summary>The activation with this Keras name, or an exception listing the known names.</summary>
    public static ActivationFunction Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (ByName.TryGetValue(name, out var a)) return a;
        throw new ArgumentException($"Unknown activation '{name}'. Known: {string.Join(", ", ByName.Keys.Order())}.", nameof(name));
    }
}
