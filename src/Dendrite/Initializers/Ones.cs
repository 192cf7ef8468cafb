namespace Dendrite.Initializers;

/// <summary>All ones.</summary>
public sealed class Ones : Initializer
{
    /// <inheritdoc/>
    public override string ClassName => "Ones";
    /// <inheritdoc/>
    public override Tensor Create(Shape shape) => Tensor.Ones(shape);
}
