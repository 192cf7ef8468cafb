namespace Dendrite.Tests.Saving;

/// <summary>
/// A real Keras file's test case: <see cref="Batch"/> samples of <see cref="InputShape"/>, whose flattened value i is
/// ((i % Mod) - Shift) / Scale as float32, or the index (i·7919 + 13) % Mod when <see cref="Indices"/> (Embedding input);
/// <see cref="Expected"/> is NumPy's prediction (tools/make_real_file_references.py).
/// </summary>
internal sealed record RealKerasFileReference(string File, int Batch, int[] InputShape, bool Indices, int Mod, int Shift, int Scale,
    int[] OutputShape, float[] Expected)
{
    /// <summary>The input the reference was computed for.</summary>
    public Tensor Input()
    {
        long n = Batch * InputShape.Aggregate(1L, (a, d) => a * d);
        var v = new float[n];
        for (long i = 0; i < n; i++)
            v[i] = Indices ? (i * 7919 + 13) % Mod : (float)(((i % Mod) - (double)Shift) / Scale);
        return Tensor.FromArray(v, [Batch, .. InputShape]);
    }

    /// <inheritdoc/>
    public override string ToString() => File;
}
