using System.Globalization;
using System.Text.RegularExpressions;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Serving;

/// <summary>
/// examples/ServeModel as a server would run: it trains and saves the MNIST MLP, loads the file once, serves it over
/// HTTP on loopback, and 8 clients x 200 requests of 1-8 digits each must all get exactly the single-threaded answers.
/// </summary>
public sealed class ServeModelTests
{
    [Fact]
    public void Concurrent_requests_on_one_loaded_model_get_the_single_threaded_answers()
    {
        var folder = Directory.CreateTempSubdirectory("dendrite-serve-").FullName;
        try
        {
            var (code, stdout, stderr) = RepoProcess.Run("dotnet", [RepoProcess.ExampleDll("ServeModel"), "--load-test", "8", "200"],
                new Dictionary<string, string>(), TimeSpan.FromMinutes(5), workingDirectory: folder);
            Assert.True(code == 0, stdout + stderr);
            Assert.True(File.Exists(Path.Combine(folder, "mnist-mlp.keras")), "the model was not saved");
            Assert.Contains("loaded ", stdout);
            Assert.Contains("answers equal to the single-threaded predictions: 1600 of 1600; mismatches: 0; failed requests: 0", stdout);
            var m = Regex.Match(stdout, @"latency ms: p50 ([\d.]+), p90 ([\d.]+), p99 ([\d.]+), max ([\d.]+)");
            Assert.True(m.Success, stdout);
            var p = Enumerable.Range(1, 4).Select(i => double.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture)).ToArray();
            Assert.True(p[0] > 0 && p[0] <= p[1] && p[1] <= p[2] && p[2] <= p[3], stdout);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
