using Dendrite.Models;
using Dendrite.Onnx;
using Microsoft.ML.OnnxRuntime;
using Xunit.Sdk;

namespace Dendrite.Tests.Onnx;

/// <summary>
/// Exports a model, loads the bytes in ONNX Runtime (which checks the model as it loads: graph, types, shapes) and
/// compares its outputs with <c>model.PredictOutputs</c> on random inputs of two batch sizes, to 1e-5.
/// </summary>
internal static class OnnxCheck
{
    public const double Tolerance = 1e-5;

    public static void MatchesPredict(Model model, int opset = OnnxExporter.DefaultOpset, float range = 3f, int[]? batchSizes = null)
    {
        byte[] bytes = OnnxExporter.ToBytes(model, opset);
        using var session = new InferenceSession(bytes);
        CheckSignature(model, session);
        foreach (int batch in batchSizes ?? [1, 7])
        {
            var xs = model.Inputs.Select((t, i) => RandomInput([batch, .. t.Shape.ToArray()], range, seed: 100 * batch + i)).ToList();
            var expected = model.PredictOutputs(xs, verbose: 0);
            var actual = Run(session, xs);
            for (int o = 0; o < expected.Count; o++) AssertClose(expected[o], actual[o], $"output {o} at batch {batch}");
        }
    }

    /// <summary>Runs the session on the inputs, in the graph's input order; returns every output.</summary>
    public static List<Tensor> Run(InferenceSession session, IReadOnlyList<Tensor> xs)
    {
        var values = xs.Select(x => OrtValue.CreateTensorValueFromMemory(x.ToArray(), x.Shape.ToArray().Select(d => (long)d).ToArray())).ToList();
        try
        {
            using var options = new RunOptions();
            using var results = session.Run(options, session.InputNames, values, session.OutputNames);
            return results.Select(r => Tensor.FromArray(r.GetTensorDataAsSpan<float>().ToArray(),
                r.GetTensorTypeAndShape().Shape.Select(d => (int)d).ToArray())).ToList();
        }
        finally { values.ForEach(v => v.Dispose()); }
    }

    /// <summary>Inputs and outputs named after the model's layers, float32, with a dynamic (-1) batch axis.</summary>
    public static void CheckSignature(Model model, InferenceSession session)
    {
        Assert.Equal(model.Inputs.Select(i => i.Layer.Name), session.InputNames);
        Assert.Equal(model.Outputs.Count, session.OutputNames.Count);
        foreach (var (t, meta) in model.Inputs.Select(i => i.Shape).Concat(model.Outputs.Select(o => o.Shape))
                     .Zip(session.InputMetadata.Values.Concat(session.OutputMetadata.Values)))
        {
            Assert.Equal(typeof(float), meta.ElementType);
            Assert.Equal(new[] { -1 }.Concat(t.ToArray()).ToArray(), meta.Dimensions);
        }
    }

    /// <summary>Uniform values in [-range, range], with every fifth value exactly 0 (the kinks of relu, sign, heaviside).</summary>
    public static Tensor RandomInput(int[] shape, float range, int seed)
    {
        var x = Tensor.RandomUniform(shape, -range, range, seed: seed);
        var span = x.AsSpan();
        for (int i = 0; i < span.Length; i += 5) span[i] = 0f;
        return x;
    }

    public static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.ToArray();
        var a = actual.ToArray();
        for (int i = 0; i < e.Length; i++)
            if (!(Math.Abs(e[i] - a[i]) <= Tolerance * Math.Max(1.0, Math.Abs(e[i]))))
                throw new XunitException($"{what}: element {i} is {a[i]:R} in ONNX Runtime but {e[i]:R} in Predict (tolerance {Tolerance}).");
    }
}
