using System.Globalization;
using System.Text.RegularExpressions;
using Dendrite.Distributed;
using Dendrite.Layers;
using Dendrite.Models;

namespace Dendrite.Tests.Distributed;

/// <summary>
/// Data-parallel training: each multi-rank test is its own <c>mpirun -np 2</c> job (MPI_Init works once per process),
/// running tests/Dendrite.Distributed.Worker or examples/DistributedMnist, with a time limit.
/// </summary>
[Collection("mpirun")]
public sealed partial class DataParallelTests
{
    [MpiTheory]
    [InlineData("sgd", "compiled", true)]
    [InlineData("sgd", "tape", true)]
    [InlineData("adam", "compiled", true)]
    [InlineData("adam", "tape", true)]
    [InlineData("adam", "compiled", false)]   // gradients reduced after the backward pass instead of during it
    public void TwoRanksOfBatch32TrainLikeOneProcessOfBatch64(string optimizer, string path, bool overlap)
    {
        var (code, output, _) = MpiRun.Ranks(2, "Dendrite.Distributed.Worker", $"equivalence {optimizer} {path}", timeoutSeconds: 180,
            environment: overlap ? null : new Dictionary<string, string> { ["DENDRITE_OVERLAP"] = "0" });
        Assert.Contains($"overlap {(overlap ? "on" : "off")}", output);
        Assert.True(code == 0, output);
        // Every replica equals rank 0's, bit for bit.
        Assert.Equal(2, ReplicaDiff().Matches(output).Count(m => m.Groups[1].Value == "0.000E+000"));
        var m = WeightsDiff().Match(output);
        Assert.True(m.Success, output);
        double weights = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), logs = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.InRange(weights, 0, 1e-5);
        Assert.InRange(logs, 0, 1e-5);
        Assert.Contains("keys accuracy,loss,val_accuracy,val_loss vs accuracy,loss,val_accuracy,val_loss", output);
    }

    [MpiFact]
    public void ARankThatThrowsStopsTheWholeJobAndIsNamed()
    {
        var (code, output, elapsed) = MpiRun.Ranks(2, "Dendrite.Distributed.Worker", "fail", timeoutSeconds: 60);
        Assert.NotEqual(0, code);
        Assert.NotEqual(-1, code);   // not the time limit: the job ended by itself
        Assert.Contains("rank 1 of 2 failed in Fit: InvalidOperationException: a deliberate failure on rank 1", output);
        Assert.DoesNotContain("not reached", output);
        Assert.True(elapsed < TimeSpan.FromSeconds(30), $"the job took {elapsed.TotalSeconds:F1} s to stop");
    }

    [MpiFact]
    public void OnlyRankZeroPrintsAndWritesAndEveryRankStopsTogether()
    {
        var folder = Directory.CreateTempSubdirectory("dendrite-mpi-").FullName;
        try
        {
            var (code, output, _) = MpiRun.Ranks(2, "Dendrite.Distributed.Worker", $"callbacks \"{folder}\"", timeoutSeconds: 120);
            Assert.True(code == 0, output);
            Assert.Single(Regex.Matches(output, "Epoch 1/20"));
            Assert.Single(Regex.Matches(output, "Epoch 2: early stopping"));
            Assert.Contains("rank 0 trained 2 epochs", output);
            Assert.Contains("rank 1 trained 2 epochs", output);
            Assert.True(File.Exists(Path.Combine(folder, "log-rank0.csv")));
            Assert.False(File.Exists(Path.Combine(folder, "log-rank1.csv")), "rank 1 wrote a CSV log");
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [MpiFact]
    public void RanksKnowTheirPlaceAndShareTheCores()
    {
        var (code, output, _) = MpiRun.Ranks(2, "Dendrite.Distributed.Worker", "init", timeoutSeconds: 60);
        Assert.True(code == 0, output);
        int threads = Math.Max(1, Environment.ProcessorCount / 2);
        Assert.Contains($"rank 0 of 2, local 0 of 2, threads {threads}", output);
        Assert.Contains($"rank 1 of 2, local 1 of 2, threads {threads}", output);
    }

    [MpiFact]
    public void DistributedMnistExampleReachesTheSingleProcessAccuracyWithRankZeroAlonePrinting()
    {
        var folder = Directory.CreateTempSubdirectory("dendrite-mpi-").FullName;
        try
        {
            var (code, output, _) = MpiRun.Ranks(2, "DistributedMnist", "", timeoutSeconds: 300, workingDirectory: folder);
            Assert.True(code == 0, output);
            Assert.Contains("data-parallel on 2 rank(s)", output);
            Assert.Single(Regex.Matches(output, "Total params: 188,660"));
            Assert.Single(Regex.Matches(output, "Epoch 10/10"));
            var m = Regex.Match(output, @"test accuracy: (\d\.\d+)");
            Assert.True(m.Success, output);
            Assert.Single(Regex.Matches(output, "test accuracy"));
            Assert.InRange(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), 0.95, 1.0);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void AMissingMpiLibrarySaysWhichPackageToInstall()
    {
        var (code, output, _) = MpiRun.Alone("Dendrite.Distributed.Worker", "init", timeoutSeconds: 60, new Dictionary<string, string>
        {
            ["OMPI_COMM_WORLD_SIZE"] = "2",                               // as if mpirun had started it
            ["DENDRITE_MPI_LIBRARY"] = "/nonexistent/libmpi.so.40",
        });
        Assert.NotEqual(0, code);
        Assert.Contains("could not be loaded", output);
        Assert.Contains("apt-get install openmpi-bin", output);
    }

    [GeneratedRegex(@"replica diff ([^,\s]+)")]
    private static partial Regex ReplicaDiff();

    [GeneratedRegex(@"weights diff (\S+), logs diff (\S+),")]
    private static partial Regex WeightsDiff();
}
