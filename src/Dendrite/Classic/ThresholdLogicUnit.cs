namespace Dendrite.Classic;

/// <summary>
/// A threshold logic unit: fixed weights and bias, output step(w · x + b) with the Heaviside step (0/1) or the sign
/// (-1/0/1). The building block of the seeds' logic gates.
/// </summary>
public sealed class ThresholdLogicUnit
{
    private readonly float[] _weights;

    /// <summary>A unit with these weights and bias; <paramref name="activation"/> is "heaviside" or "sign".</summary>
    public ThresholdLogicUnit(float[] weights, float bias, string activation = "heaviside")
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (activation is not ("heaviside" or "sign")) throw new ArgumentException($"activation must be \"heaviside\" or \"sign\", got \"{activation}\".", nameof(activation));
        _weights = (float[])weights.Clone();
        Bias = bias;
        Activation = activation;
    }

    /// <summary>The weights.</summary>
    public IReadOnlyList<float> Weights => _weights;
    /// <summary>The bias.</summary>
    public float Bias { get; }
    /// <summary>"heaviside" or "sign".</summary>
    public string Activation { get; }

    /// <summary>The output for one input vector.</summary>
    public int Predict(params float[] x)
    {
        if (x.Length != _weights.Length) throw new ArgumentException($"This unit has {_weights.Length} inputs, got {x.Length}.");
        float z = Bias;
        for (int i = 0; i < x.Length; i++) z += _weights[i] * x[i];
        return Activation == "sign" ? Math.Sign(z) : z >= 0 ? 1 : 0;
    }

    /// <summary>The outputs for each row of (samples, inputs) data, computed with the library's ops.</summary>
    public int[] Predict(Tensor x)
    {
        var z = Ops.Add(Ops.MatMul(x, Tensor.FromArray(_weights, _weights.Length, 1)), Bias);
        var y = Activation == "sign" ? Ops.Sign(z) : Ops.Heaviside(z);
        return y.ToArray().Select(v => (int)v).ToArray();
    }

    /// <summary>Output = input A (one input: weight 1, bias -0.5).</summary>
    public static ThresholdLogicUnit Identity() => new([1f], -0.5f);
    /// <summary>A AND B (weights 1, 1; bias -1.5).</summary>
    public static ThresholdLogicUnit And() => new([1f, 1f], -1.5f);
    /// <summary>A OR B (weights 1, 1; bias -0.5).</summary>
    public static ThresholdLogicUnit Or() => new([1f, 1f], -0.5f);
    /// <summary>A AND NOT B (weights 1, -1; bias -0.5).</summary>
    public static ThresholdLogicUnit AAndNotB() => new([1f, -1f], -0.5f);
}
