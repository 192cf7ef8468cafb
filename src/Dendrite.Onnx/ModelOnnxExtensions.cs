using Dendrite.Models;

namespace Dendrite.Onnx;

/// <summary><c>model.Export(path, format: "onnx")</c>, as Keras's <c>model.export</c>.</summary>
public static class ModelOnnxExtensions
{
    /// <summary>Exports the model for serving; "onnx" is the only format (see <see cref="OnnxExporter.Export"/>).</summary>
    public static void Export(this Model model, string path, string format = "onnx", int opset = OnnxExporter.DefaultOpset)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (!format.Equals("onnx", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"Model.Export writes format \"onnx\" only (Dendrite.Onnx), got \"{format}\".", nameof(format));
        OnnxExporter.Export(model, path, opset);
    }
}
