// Serve a saved model over HTTP, many requests at once on one loaded model:
//   dotnet run -c Release --project examples/ServeModel -- [--model mlp.keras] [--port 8080]
//       loads the model once (without --model it first trains the MNIST MLP briefly and saves mnist-mlp.keras),
//       then answers POST /predict {"instances": [[784 pixels], ...]} until Ctrl-C
//   dotnet run -c Release --project examples/ServeModel -- --load-test 8 200
//       the same server on loopback, 8 clients x 200 requests of 1-8 digits each: every answer must equal the
//       single-threaded prediction; prints latency percentiles; exits 1 on any difference or failed request
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Dendrite;
using Dendrite.Data;
using Dendrite.Datasets;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Saving.Hdf5;

Hdf5Saving.Enable();
string? modelPath = Option("--model");
int port = int.TryParse(Option("--port"), out int p) ? p : FreePort();
int loadTest = Array.IndexOf(args, "--load-test");

var ((xTrain, yTrain), (xTest, _)) = Mnist.LoadEmbedded(testFraction: 0.2, seed: 42);
if (modelPath is null)
{
    modelPath = Path.GetFullPath("mnist-mlp.keras");
    Utils.SetRandomSeed(42);
    var trained = new Sequential([
        new Input(shape: [28, 28]), new Flatten(), new Dense(200, activation: "relu"), new Dense(150, activation: "relu"),
        new Dense(10, activation: "softmax"),
    ]);
    trained.Compile(optimizer: "adam", loss: "categorical_crossentropy", metrics: ["accuracy"]);
    trained.Fit(xTrain, Utils.ToCategorical(yTrain, 10), epochs: 2, verbose: 0);
    trained.Save(modelPath);
    Console.WriteLine($"trained the MNIST MLP for 2 epochs and saved it to {modelPath}");
}
var model = Model.Load(modelPath);   // once: every request shares it
Console.WriteLine($"loaded {modelPath}: {model.CountParams():N0} parameters, input {string.Join("x", model.Inputs[0].Shape.ToArray())}");

await using var server = new PredictionServer(model, port);
server.Start(concurrency: 16);
Console.WriteLine($"serving on {server.Url} (POST /predict, GET /health)");

if (loadTest < 0)
{
    var done = new TaskCompletionSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; done.TrySetResult(); };
    await done.Task;
    return 0;
}

int clients = args.Length > loadTest + 1 ? int.Parse(args[loadTest + 1]) : 8;
int perClient = args.Length > loadTest + 2 ? int.Parse(args[loadTest + 2]) : 200;
return await LoadTest.Run(server.Url, model, xTest, clients, perClient);

string? Option(string name) => Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static int FreePort()
{
    var probe = new TcpListener(IPAddress.Loopback, 0);
    probe.Start();
    int port = ((IPEndPoint)probe.LocalEndpoint).Port;
    probe.Stop();
    return port;
}
