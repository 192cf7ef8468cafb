using System.Text.Json.Nodes;

namespace Dendrite.Layers;

/// <summary>
/// Masks the time steps whose features all equal <c>maskValue</c> (Keras Masking): the mask (any feature differs) goes
/// to the following layers, and masked steps are set to zero.
/// </summary>
public sealed class Masking(double maskValue = 0.0, int[]? inputShape = null, string? name = null) : Layer(name, inputShape)
{
    /// <inheritdoc/>
    public override string ClassName => "Masking";
    /// <summary>The value that marks a padded step.</summary>
    public double MaskValue { get; } = maskValue;

    /// <inheritdoc/>
    protected override void Build(Shape inputShape)
    {
        if (inputShape.Rank < 1) throw new ArgumentException($"Layer '{Name}' (Masking) needs inputs with a feature axis, got per-sample shape {FormatShape(inputShape)}.");
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training) => Ops.Mul(input, Ops.ExpandDims(StepMask(input), -1));

    /// <summary>1 where any feature of the step differs from <see cref="MaskValue"/>.</summary>
    public override Tensor? ComputeMask(IReadOnlyList<Tensor> inputs, Tensor? mask) => StepMask(inputs[0]);

    private Tensor StepMask(Tensor x) => Ops.Max(Ops.NotEqual(x, (float)MaskValue), [-1]);

    /// <inheritdoc/>
    public override JsonObject GetConfig() { var c = base.GetConfig(); c["mask_value"] = MaskValue; return c; }

    /// <summary>Recreates the layer from <see cref="GetConfig"/>'s output.</summary>
    public static Masking FromConfig(JsonObject c) => new((double?)c["mask_value"] ?? 0.0, name: (string?)c["name"]);
}
