using System.Text.Json.Nodes;

namespace Dendrite.Regularizers;

/// <summary>A penalty on a weight (or an activation) added to the training loss. Strings convert ("l2").</summary>
public abstract class Regularizer
{
    /// <summary>The Keras class name.</summary>
    public abstract string ClassName { get; }

    /// <summary>The scalar penalty for <paramref name="x"/> (differentiable).</summary>
    public abstract Tensor Penalty(Tensor x);

    /// <summary>The Keras config.</summary>
    public abstract JsonObject GetConfig();

    /// <summary>"l1", "l2" or "l1_l2" with Keras's default factor 0.01.</summary>
    public static Regularizer Get(string name) => name.ToLowerInvariant() switch
    {
        "l1" => new L1(), "l2" => new L2(), "l1_l2" or "l1l2" => new L1L2(0.01, 0.01),
        _ => throw new ArgumentException($"Unknown regularizer '{name}'. Known: l1, l2, l1_l2.", nameof(name)),
    };

    /// <summary>Looks a regularizer up by name.</summary>
    public static implicit operator Regularizer(string name) => Get(name);
}
