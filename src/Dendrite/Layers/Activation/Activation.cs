using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>Applies an activation function (Keras Activation layer).</summary>
public sealed class Activation(ActivationFunction activation, int[]? inputShape = null, string? name = null) : Layer(name, inputShape)
{
    /// <inheritdoc/>
    public override string ClassName => "Activation";
    /// <summary>The function applied.</summary>
    public ActivationFunction Function { get; } = activation ?? throw new ArgumentNullException(nameof(activation));
    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training) => Function.Invoke(input);
    /// <inheritdoc/>
    public override JsonObject GetConfig() { var c = base.GetConfig(); c["activation"] = Function.Name; return c; }
    /// <summary>Recreates the layer from its config.</summary>
    public static Activation FromConfig(JsonObject c) => new(Activations.Get((string)LayerConfig.Required(c, "activation", "Activation")!), name: (string?)c["name"]);
}
