using Dendrite.Data;
using Dendrite.Models;
using Dendrite.Onnx.Protobuf;

namespace Dendrite.Onnx;

/// <summary>
/// Exports a model to an ONNX file for ONNX Runtime, ML.NET or mobile runtimes (Keras's
/// <c>model.export(path, format="onnx")</c>): a dynamic batch axis, inputs and outputs named after the model's layers,
/// the weights as initializers and inference semantics (Dropout removed).
/// </summary>
public static class OnnxExporter
{
    /// <summary>The opset written by default.</summary>
    public const int DefaultOpset = 17;

    /// <summary>The oldest opset the exporter targets (single-axis Softmax, Clip with tensor bounds).</summary>
    public const int MinOpset = 13;

    /// <summary>The newest opset the exporter targets.</summary>
    public const int MaxOpset = 21;

    /// <summary>Writes the model to <paramref name="path"/> atomically (a temporary file renamed over the target).</summary>
    /// <exception cref="NotSupportedException">A layer or activation has no ONNX mapping (the message names it); no file is written.</exception>
    public static void Export(Model model, string path, int opset = DefaultOpset)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var proto = Convert(model, opset);
        AtomicFile.Write(path, stream =>
        {
            var buffered = new BufferedStream(stream, 1 << 16);     // not disposed: that would close AtomicFile's stream
            proto.WriteTo(new ProtoWriter(buffered));
            buffered.Flush();
        });
    }

    /// <summary>The ONNX file's bytes, for a runtime that loads models from memory.</summary>
    public static byte[] ToBytes(Model model, int opset = DefaultOpset) => ProtoWriter.ToBytes(Convert(model, opset));

    private static ModelProto Convert(Model model, int opset)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (opset < MinOpset || opset > MaxOpset)
            throw new ArgumentOutOfRangeException(nameof(opset), $"ONNX export targets opsets {MinOpset} to {MaxOpset}, got {opset}.");
        return ModelConverter.Convert(model, opset);
    }

    /// <summary>The IR version released with an opset (ONNX's versioning table).</summary>
    internal static long IrVersionFor(int opset) => opset switch
    {
        <= 13 => 7,
        <= 18 => 8,
        <= 20 => 9,
        _ => 10,
    };
}
