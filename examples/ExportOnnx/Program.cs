// Train the MNIST MLP briefly, export it to ONNX, run the file in ONNX Runtime and compare with Predict.
//   dotnet run -c Release --project examples/ExportOnnx                  writes mnist_mlp.onnx in the current directory
//   dotnet run -c Release --project examples/ExportOnnx -- out/model.onnx
using Dendrite;
using Dendrite.Data;
using Dendrite.Datasets;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Onnx;
using Dendrite.Optimizers;
using Microsoft.ML.OnnxRuntime;

RandomState.SetSeed(42);
var ((xTrain, yTrain), (xTest, yTest)) = Mnist.LoadEmbedded(testFraction: 0.2, seed: 42);
var model = new Sequential([
    new Input(shape: [28, 28], name: "digits"),
    new Flatten(),
    new Dense(200, activation: "relu"),
    new Dense(150, activation: "relu"),
    new Dense(10, activation: "softmax", name: "probabilities"),
]);
model.Compile(optimizer: new Adam(learningRate: 0.0005), loss: "categorical_crossentropy", metrics: ["accuracy"]);
model.Fit(xTrain, Utils.ToCategorical(yTrain, 10), batchSize: 32, epochs: 2, verbose: 2);

string path = Path.GetFullPath(args.Length > 0 ? args[0] : "mnist_mlp.onnx");
model.Export(path, format: "onnx");
Console.WriteLine($"wrote {path} ({new FileInfo(path).Length:N0} bytes, opset {OnnxExporter.DefaultOpset})");

// The same digits through Dendrite and through ONNX Runtime.
const int n = 10;
var x = Ops.Slice(xTest, 0, 0, n);
float[] dendrite = model.Predict(x, verbose: 0).ToArray();
using var session = new InferenceSession(path);
using var input = OrtValue.CreateTensorValueFromMemory(x.ToArray(), [n, 28, 28]);
using var options = new RunOptions();
using var outputs = session.Run(options, session.InputNames, [input], session.OutputNames);
float[] onnx = outputs[0].GetTensorDataAsSpan<float>().ToArray();
Console.WriteLine($"ONNX Runtime {session.InputNames[0]} -> {session.OutputNames[0]}");
Console.WriteLine("digit  label  Dendrite (p)     ONNX Runtime (p)");
float[] labels = yTest.ToArray();
for (int i = 0; i < n; i++)
{
    var (d, o) = (Top(dendrite.AsSpan(i * 10, 10)), Top(onnx.AsSpan(i * 10, 10)));
    Console.WriteLine($"{i,5}  {labels[i],5}  {d.Class} ({d.P:F6})     {o.Class} ({o.P:F6})");
}
float maxDiff = dendrite.Zip(onnx, (a, b) => MathF.Abs(a - b)).Max();
Console.WriteLine($"largest difference between the two: {maxDiff:E2}");
if (maxDiff > 1e-5f)
{
    Console.WriteLine("ONNX Runtime and Predict disagree");
    return 1;
}
Console.WriteLine("ONNX Runtime and Predict agree to 1e-5");
return 0;

static (int Class, float P) Top(ReadOnlySpan<float> p)
{
    int best = 0;
    for (int k = 1; k < p.Length; k++) if (p[k] > p[best]) best = k;
    return (best, p[best]);
}
