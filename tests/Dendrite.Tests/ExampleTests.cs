using Dendrite.Tests.TestKit;

namespace Dendrite.Tests;

/// <summary>What a user meets without network or without the development checkout's ../shared folder.</summary>
public class ExampleTests : IDisposable
{
    private readonly string _emptyCache = Directory.CreateTempSubdirectory("dendrite-empty-cache-").FullName;

    public void Dispose() => Directory.Delete(_emptyCache, recursive: true);

    private Dictionary<string, string> Offline() => new() { ["DENDRITE_DATA"] = _emptyCache, ["DENDRITE_OFFLINE"] = "1" };

    private static void AssertNoStackTrace(string text)
    {
        Assert.DoesNotContain("Unhandled exception", text);
        Assert.DoesNotContain("   at ", text);
    }

    [Fact]
    public void MnistMlp_full_offline_says_where_to_put_the_file_and_fails_without_a_stack_trace()
    {
        var (code, stdout, stderr) = RepoProcess.Run("dotnet", [RepoProcess.ExampleDll("MnistMlp"), "--full"], Offline(), TimeSpan.FromMinutes(2));
        Assert.NotEqual(0, code);
        Assert.Contains("https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz", stderr);
        Assert.Contains(Path.Combine(_emptyCache, "mnist.npz"), stderr);
        Assert.Contains("sha256:", stderr);
        AssertNoStackTrace(stdout + stderr);
    }

    [Fact]
    public void AdultIncome_offline_says_where_to_put_the_files_and_fails_without_a_stack_trace()
    {
        var (code, stdout, stderr) = RepoProcess.Run("dotnet", [RepoProcess.ExampleDll("AdultIncome")], Offline(), TimeSpan.FromMinutes(2));
        Assert.NotEqual(0, code);
        Assert.Contains("adult.data", stderr);
        Assert.Contains(Path.Combine(_emptyCache, "adult"), stderr);
        AssertNoStackTrace(stdout + stderr);
    }

    [Fact]
    public void ImdbSentiment_offline_says_where_to_put_the_file_and_fails_without_a_stack_trace()
    {
        var (code, stdout, stderr) = RepoProcess.Run("dotnet", [RepoProcess.ExampleDll("ImdbSentiment")], Offline(), TimeSpan.FromMinutes(2));
        Assert.NotEqual(0, code);
        Assert.Contains("https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz", stderr);
        Assert.Contains(Path.Combine(_emptyCache, "imdb.npz"), stderr);
        AssertNoStackTrace(stdout + stderr);
    }

    [Fact]
    public void Cifar10Cnn_offline_shows_the_books_model_says_where_to_put_the_archive_and_fails_without_a_stack_trace()
    {
        var (code, stdout, stderr) = RepoProcess.Run("dotnet", [RepoProcess.ExampleDll("Cifar10Cnn")], Offline(), TimeSpan.FromMinutes(2));
        Assert.NotEqual(0, code);
        // Foster's CNN: 4 x [Conv2D, BN, LeakyReLU], Dense 128, BN, LeakyReLU, Dropout, Dense 10 (the book's summary).
        Assert.Contains("Total params: 592,554", stdout);
        Assert.Contains("Trainable params: 591,914", stdout);
        Assert.Contains("Non-trainable params: 640", stdout);
        Assert.Contains("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz", stderr);
        Assert.Contains(Path.Combine(_emptyCache, "cifar-10-binary.tar.gz"), stderr);
        AssertNoStackTrace(stdout + stderr);
    }

    [Fact]
    public void MnistLstm_reads_digits_as_sequences_and_reaches_95_percent()
    {
        var (code, stdout, stderr) = RepoProcess.Run("dotnet", [RepoProcess.ExampleDll("MnistLstm")], Offline(), TimeSpan.FromMinutes(10));
        Assert.True(code == 0, stderr);
        AssertNoStackTrace(stdout + stderr);
        var last = stdout.TrimEnd().Split('\n')[^1];
        var m = System.Text.RegularExpressions.Regex.Match(last, @"^test accuracy: (0\.\d{4})$");
        Assert.True(m.Success, $"last line: {last}");
        Assert.True(double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 0.95, last);
    }

    [Fact]
    public void FashionMnistCnn_short_run_trains_on_the_embedded_images_and_ends_with_its_accuracy()
    {
        // CI's short mode: one epoch on 2,000 of the 8,000 embedded training images, evaluated on the 2,000 test images.
        var (code, stdout, stderr) = RepoProcess.Run("dotnet", [RepoProcess.ExampleDll("FashionMnistCnn"), "--epochs", "1", "--samples", "2000"],
            Offline(), TimeSpan.FromMinutes(5), workingDirectory: _emptyCache);
        Assert.True(code == 0, stderr);
        Assert.Contains("2000 training and 2000 test images", stdout);
        Assert.Contains("Total params: 422,026", stdout);
        string last = stdout.TrimEnd().Split('\n')[^1];
        Assert.Matches(@"^test accuracy: 0\.\d{4}$", last);
        double accuracy = double.Parse(last["test accuracy: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(accuracy >= ShortRunAccuracy, last);
        Assert.True(File.Exists(Path.Combine(_emptyCache, "history.png")));
        AssertNoStackTrace(stdout + stderr);
    }

    private const double ShortRunAccuracy = 0.6;   // measured 0.6745 (chance is 0.10)

    [Fact]
    public void MnistMlp_build_output_holds_only_this_platforms_native_files()
    {
        // MnistMlp references Dendrite.Plotting (SkiaSharp): its output was ~546 MB with every platform's native files.
        BuildOutput.AssertLean(Path.GetDirectoryName(RepoProcess.ExampleDll("MnistMlp"))!);
    }

    [Theory]
    [InlineData("compare.sh")]
    [InlineData("compare-gemm.sh")]
    public void Compare_scripts_without_peers_say_how_to_point_at_them(string script)
    {
        var missing = Path.Combine(_emptyCache, "no-peers-here");
        var (code, _, stderr) = RepoProcess.Run("bash", [Path.Combine("benchmarks", script), "1"], new Dictionary<string, string> { ["DENDRITE_PEERS"] = missing }, TimeSpan.FromMinutes(1));
        Assert.Equal(2, code);
        Assert.Contains(missing, stderr);
        Assert.Contains("DENDRITE_PEERS", stderr);
    }
}
