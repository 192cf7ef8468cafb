namespace Dendrite.Tests.Onnx;

/// <summary>examples/ExportOnnx, run as a program: it trains, exports, runs the file in ONNX Runtime and agrees with Predict.</summary>
public class ExportOnnxExampleTests
{
    [Fact]
    public void Example_trains_exports_and_agrees_with_ONNX_Runtime()
    {
        string dir = Directory.CreateTempSubdirectory("dendrite-onnx-example-").FullName;
        try
        {
            string path = Path.Combine(dir, "mnist.onnx");
            var (code, output, _) = Dendrite.Tests.Distributed.MpiRun.Alone("ExportOnnx", $"\"{path}\"", timeoutSeconds: 300);
            Assert.True(code == 0, output);
            Assert.Contains("ONNX Runtime and Predict agree to 1e-5", output);
            Assert.Contains("digit  label  Dendrite (p)     ONNX Runtime (p)", output);
            Assert.True(File.Exists(path), output);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
