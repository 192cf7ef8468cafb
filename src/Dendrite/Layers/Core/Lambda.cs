using System.Text.Json.Nodes;
using Dendrite.Autodiff;

namespace Dendrite.Layers;

/// <summary>
/// Wraps a function of the batch as a layer (Keras <c>Lambda</c>): <c>new Lambda(x =&gt; Ops.Square(x))</c>. The function
/// must compute through <see cref="Ops"/> (so gradients flow) and keep the batch axis first. Without
/// <paramref name="outputShape"/>, the per-sample output shape is found by running the function once on zeros of the
/// input shape. A .NET delegate has no config: <see cref="GetConfig"/> throws, so a model holding a Lambda cannot be
/// saved as a config (write a <see cref="Layer"/> subclass for that).
/// </summary>
public sealed class Lambda(Func<Tensor, Tensor> function, int[]? outputShape = null, int[]? inputShape = null, string? name = null)
    : Layer(name, inputShape)
{
    // Two rows, so that a function which mixes samples or drops the batch axis is caught rather than taken for a shape.
    private const int ProbeBatch = 2;
    private readonly Func<Tensor, Tensor> _function = function ?? throw new ArgumentNullException(nameof(function));
    private readonly Shape? _outputShape = outputShape is null ? (Shape?)null : new Shape(outputShape);

    /// <inheritdoc/>
    public override string ClassName => "Lambda";

    /// <inheritdoc/>
    public override Shape ComputeOutputShape(Shape inputShape)
    {
        if (_outputShape is Shape declared) return declared;
        Tensor probe;
        try
        {
            using var noGrad = GradMode.NoGrad();
            probe = _function(Tensor.Zeros([ProbeBatch, .. inputShape.ToArray()]));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new ArgumentException($"Lambda '{Name}': could not infer its output shape by running the function on zeros of shape " +
                $"{FormatShape(inputShape)}: {e.Message} Pass outputShape: to the constructor.", e);
        }
        if (probe is null || probe.Rank == 0 || probe.Shape[0] != ProbeBatch)
            throw new ArgumentException($"Lambda '{Name}': the function must keep the batch axis first; on input {FormatShape(inputShape)} " +
                $"with {ProbeBatch} samples it returned shape {probe?.Shape.ToString() ?? "null"}.");
        return new Shape(probe.Shape.ToArray()[1..]);
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training) =>
        _function(input) ?? throw new InvalidOperationException($"Lambda '{Name}': the function returned null.");

    /// <summary>Always throws: a .NET delegate cannot be written to a Keras config.</summary>
    public override JsonObject GetConfig() =>
        throw new NotSupportedException($"Lambda '{Name}' wraps a .NET delegate, which cannot be saved to a config. " +
            "To save the model, write the computation as a Layer subclass with GetConfig and a factory in Saving.LayerRegistry.");
}
