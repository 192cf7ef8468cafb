using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;
using Dendrite.Saving.Hdf5;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Saving;

/// <summary>
/// The files Dendrite writes, read by h5py: tools/check_saved_layout.py checks them against Keras's layout (the same
/// script passes on the real Keras 3 files). Skips when /usr/bin/python3 cannot import h5py (.ci/run installs python3-h5py).
/// </summary>
public sealed class SavedLayoutTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dendrite-layout-").FullName;

    public SavedLayoutTests() => Hdf5Saving.Enable();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly Lazy<bool> H5py = new(() =>
    {
        if (!File.Exists("/usr/bin/python3")) return false;
        try { return RepoProcess.Run("/usr/bin/python3", ["-c", "import h5py"], new Dictionary<string, string>(), TimeSpan.FromSeconds(60)).ExitCode == 0; }
        catch (System.ComponentModel.Win32Exception) { return false; }
    });

    private static Model Sequential(Optimizer optimizer)
    {
        var m = new Sequential([new Input(shape: [5]), new Dense(4, activation: "relu"), new Dropout(0.1), new Dense(3), new Softmax()]);
        m.Compile(optimizer, "categorical_crossentropy", ["accuracy"]);
        return m;
    }

    private static Model Functional()
    {
        var x = new Input(shape: [5], name: "features");
        var a = new Dense(4, activation: "relu").Call(x);
        var b = new Dense(4, activation: "tanh", name: "side").Call(x);
        var y = new Dense(3, activation: "softmax").Call(new Concatenate().Call(a, new Add().Call(a, b)));
        var m = new Model(x, y, name: "graph");
        m.Compile(new Adam(learningRate: 0.01), "categorical_crossentropy");
        return m;
    }

    public static TheoryData<string> Models => new() { "adam", "sgd", "rmsprop", "functional" };

    [Theory, MemberData(nameof(Models))]
    public void Files_Dendrite_writes_have_the_layout_Keras_writes(string kind)
    {
        if (!H5py.Value) return;                                             // no h5py: skipped
        var model = kind switch
        {
            "adam" => Sequential(new Adam()),
            "sgd" => Sequential(new SGD(learningRate: 0.1, momentum: 0.9)),
            "rmsprop" => Sequential(new RMSprop(momentum: 0.5, centered: true)),
            _ => Functional(),
        };
        model.TrainOnBatch(Tensor.RandomNormal([6, 5], seed: 3), Dendrite.Data.Utils.ToCategorical([0, 1, 2, 0, 1, 2], numClasses: 3));
        string[] files = ["m.keras", "m.weights.h5", "m.h5", "w.h5"];
        model.Save(Path.Combine(_dir, files[0]));
        model.SaveWeights(Path.Combine(_dir, files[1]));
        model.Save(Path.Combine(_dir, files[2]));
        model.SaveWeights(Path.Combine(_dir, files[3]));
        var (code, stdout, stderr) = RepoProcess.Run("/usr/bin/python3",
            [Path.Combine(RepoProcess.Root, "tools", "check_saved_layout.py"), .. files.Select(f => Path.Combine(_dir, f))],
            new Dictionary<string, string>(), TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"check_saved_layout.py failed ({code}):\n{stdout}\n{stderr}");
        Assert.Contains("ok   optimizer/vars/0 is the int64 scalar iterations", stdout);
        Assert.DoesNotContain("FAIL", stdout);
    }
}
