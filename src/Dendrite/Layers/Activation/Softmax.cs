using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>Softmax layer along an axis of the batch tensor (default the last).</summary>
public sealed class Softmax(int axis = -1, int[]? inputShape = null, string? name = null) : Layer(name, inputShape)
{
    /// <inheritdoc/>
    public override string ClassName => "Softmax";
    /// <summary>The softmax axis.</summary>
    internal int Axis => axis;
    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training) => Ops.Softmax(input, axis);
    /// <inheritdoc/>
    public override JsonObject GetConfig() { var c = base.GetConfig(); c["axis"] = axis; return c; }
    /// <summary>Recreates the layer from its config.</summary>
    public static Softmax FromConfig(JsonObject c) => new((int?)c["axis"] ?? -1, name: (string?)c["name"]);
}
