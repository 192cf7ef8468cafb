using System.Text.Json.Nodes;
using Dendrite.Initializers;
using Dendrite.Regularizers;

namespace Dendrite.Layers;

/// <summary>
/// Turns token ids (floats holding whole numbers in [0, inputDim)) into rows of a learned (inputDim, outputDim) table
/// (Keras Embedding). With <c>maskZero</c> id 0 is padding: the layer emits a mask (ids != 0) for the layers after it.
/// <c>new Embedding(inputDim: 20000, outputDim: 128)</c>
/// </summary>
public sealed class Embedding : Layer
{
    private Tensor _embeddings = null!;

    /// <summary>Creates the layer; the table starts uniform in [-0.05, 0.05] as in Keras.</summary>
    public Embedding(int inputDim, int outputDim, Initializer? embeddingsInitializer = null, Regularizer? embeddingsRegularizer = null,
        Regularizer? activityRegularizer = null, bool maskZero = false, int[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        if (inputDim <= 0) throw new ArgumentOutOfRangeException(nameof(inputDim), $"Embedding needs a positive inputDim, got {inputDim}.");
        if (outputDim <= 0) throw new ArgumentOutOfRangeException(nameof(outputDim), $"Embedding needs a positive outputDim, got {outputDim}.");
        InputDim = inputDim;
        OutputDim = outputDim;
        EmbeddingsInitializer = embeddingsInitializer ?? new RandomUniform(-0.05f, 0.05f);
        EmbeddingsRegularizer = embeddingsRegularizer;
        ActivityRegularizer = activityRegularizer;
        MaskZero = maskZero;
    }

    /// <inheritdoc/>
    public override string ClassName => "Embedding";
    /// <summary>Vocabulary size: ids run from 0 to inputDim - 1.</summary>
    public int InputDim { get; }
    /// <summary>Width of each embedding row.</summary>
    public int OutputDim { get; }
    /// <summary>The table's initializer (uniform -0.05..0.05).</summary>
    public Initializer EmbeddingsInitializer { get; }
    /// <summary>The table's penalty.</summary>
    public Regularizer? EmbeddingsRegularizer { get; }
    /// <summary>Id 0 is padding and masked.</summary>
    public bool MaskZero { get; }
    /// <summary>The (inputDim, outputDim) table, after building.</summary>
    public Tensor Embeddings => _embeddings;

    /// <inheritdoc/>
    protected override void Build(Shape inputShape) =>
        _embeddings = AddWeight("embeddings", [InputDim, OutputDim], EmbeddingsInitializer, EmbeddingsRegularizer);

    /// <inheritdoc/>
    public override Shape ComputeOutputShape(Shape inputShape) => new([.. inputShape.ToArray(), OutputDim]);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor input, bool training)
    {
        var ids = input.AsSpan();
        for (int i = 0; i < ids.Length; i++)
        {
            float v = ids[i];
            if (!(v >= 0 && v < InputDim) || v != MathF.Floor(v))
                throw new ArgumentException($"Layer '{Name}' (Embedding): token id {v} at position {i} is outside [0, {InputDim}) (inputDim {InputDim}).", nameof(input));
        }
        return Ops.Embedding(_embeddings, input);
    }

    /// <summary>With <see cref="MaskZero"/>: 1 where the id is not 0, else no mask.</summary>
    public override Tensor? ComputeMask(IReadOnlyList<Tensor> inputs, Tensor? mask) => MaskZero ? Ops.NotEqual(inputs[0], 0f) : null;

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["input_dim"] = InputDim;
        c["output_dim"] = OutputDim;
        c["embeddings_initializer"] = LayerConfig.Serialize(EmbeddingsInitializer);
        c["embeddings_regularizer"] = LayerConfig.Serialize(EmbeddingsRegularizer);
        c["activity_regularizer"] = LayerConfig.Serialize(ActivityRegularizer);
        c["embeddings_constraint"] = null;
        c["mask_zero"] = MaskZero;
        return c;
    }

    /// <summary>Recreates the layer from <see cref="GetConfig"/>'s output.</summary>
    public static Embedding FromConfig(JsonObject c) => new(
        (int)LayerConfig.Required(c, "input_dim", "Embedding"), (int)LayerConfig.Required(c, "output_dim", "Embedding"),
        LayerConfig.Initializer(c["embeddings_initializer"]), LayerConfig.Regularizer(c["embeddings_regularizer"]),
        LayerConfig.Regularizer(c["activity_regularizer"]), (bool?)c["mask_zero"] ?? false, name: (string?)c["name"]);
}
