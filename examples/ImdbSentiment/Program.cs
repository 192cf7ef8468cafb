// Issue 16's text task: is a movie review positive or negative? (Keras's IMDB data, Embedding -> Bidirectional(LSTM) -> Dense)
using Dendrite;
using Dendrite.Data;
using Dendrite.Datasets;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;

const int MaxFeatures = 20000, MaxLen = 200;
((int[][] X, Tensor Y) Train, (int[][] X, Tensor Y) Test) data;
try
{
    data = Imdb.LoadData(numWords: MaxFeatures);
}
catch (Exception e) when (e is IOException or InvalidDataException)
{
    // Offline or a damaged cache: say what to fetch and where to put it, and fail (exit code 1) without a stack trace.
    Console.Error.WriteLine("The IMDB data is not in the cache and could not be downloaded:");
    Console.Error.WriteLine("  " + e.Message);
    Console.Error.WriteLine($"Place imdb.npz from https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz in {DatasetCache.Directory} and run again.");
    return 1;
}
var ((xTrainIds, yTrain), (xTestIds, yTest)) = data;
Console.WriteLine($"IMDB: {xTrainIds.Length} training and {xTestIds.Length} test reviews, vocabulary {MaxFeatures}, padded to {MaxLen} words");
var xTrain = Utils.PadSequences(xTrainIds, maxlen: MaxLen);
var xTest = Utils.PadSequences(xTestIds, maxlen: MaxLen);

Utils.SetRandomSeed(16);
var model = new Sequential([
    new Input(shape: [MaxLen]),
    new Embedding(inputDim: MaxFeatures, outputDim: 128),
    new Bidirectional(new LSTM(units: 64), mergeMode: "concat"),
    new Dense(1, activation: "sigmoid"),
]);
model.Summary();
model.Compile(optimizer: new Adam(learningRate: 1e-3), loss: "binary_crossentropy", metrics: ["accuracy"]);
int epochs = args.Contains("--quick") ? 1 : 2;
model.Fit(xTrain, yTrain, batchSize: 32, epochs: epochs, validationSplit: 0.1);
var scores = model.EvaluateToDictionary(xTest, yTest, verbose: 0);
Console.WriteLine($"test accuracy: {scores["accuracy"]:F4}");
return 0;
