using System.Text.Json.Nodes;

namespace Dendrite.Initializers;

/// <summary>Creates initial weight values. Strings convert implicitly (<c>kernelInitializer: "he_normal"</c>).</summary>
public abstract class Initializer
{
    /// <summary>The Keras class name (e.g. "GlorotUniform").</summary>
    public abstract string ClassName { get; }

    /// <summary>A new tensor of the given shape (for a kernel, (fan_in, fan_out)).</summary>
    public abstract Tensor Create(Shape shape);

    /// <summary>The Keras config of this initializer.</summary>
    public virtual JsonObject GetConfig() => [];

    /// <summary>Looks an initializer up by its Keras name (snake_case or class name).</summary>
    public static Initializer Get(string name) => name.Replace("_", "").ToLowerInvariant() switch
    {
        "glorotuniform" => new GlorotUniform(), "glorotnormal" => new GlorotNormal(),
        "heuniform" => new HeUniform(), "henormal" => new HeNormal(),
        "lecununiform" => new LecunUniform(), "lecunnormal" => new LecunNormal(),
        "orthogonal" => new Orthogonal(), "zeros" => new Zeros(), "ones" => new Ones(),
        "randomnormal" => new RandomNormal(), "randomuniform" => new RandomUniform(), "truncatednormal" => new TruncatedNormal(),
        _ => throw new ArgumentException($"Unknown initializer '{name}'. Known: glorot_uniform, glorot_normal, he_uniform, he_normal, lecun_uniform, lecun_normal, orthogonal, zeros, ones, random_normal, random_uniform, truncated_normal.", nameof(name)),
    };

    /// <summary>Looks an initializer up by name.</summary>
    public static implicit operator Initializer(string name) => Get(name);

    /// <summary>Fan-in and fan-out as Keras computes them (receptive field times channels for conv kernels).</summary>
    internal static (double FanIn, double FanOut) Fans(Shape shape)
    {
        if (shape.Rank == 0) return (1, 1);
        if (shape.Rank == 1) return (shape[0], shape[0]);
        if (shape.Rank == 2) return (shape[0], shape[1]);
        double receptive = 1;
        for (int i = 0; i < shape.Rank - 2; i++) receptive *= shape[i];
        return (shape[^2] * receptive, shape[^1] * receptive);
    }
}
