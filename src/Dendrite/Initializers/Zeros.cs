namespace Dendrite.Initializers;

/// <summary>All zeros.</summary>
public sealed class Zeros : Initializer
{
    /// <inheritdoc/>
    public override string ClassName => "Zeros";
    /// <inheritdoc/>
    public override Tensor Create(Shape shape) => Tensor.Zeros(shape);
}
