using System.Reflection.PortableExecutable;
using Dendrite.Tests.TestKit;
using Xunit;

namespace Dendrite.Tests.Backends;

/// <summary>
/// The ReadyToRun image holds the code a training step and a prediction run (docs/ARCHITECTURE.md, "The first call"):
/// a fresh process with tiered compilation off, so that only methods missing from the image are jitted, trains,
/// evaluates and predicts a model with W7's layers (a graph), W5's (a CNN), W6's (an LSTM, binary cross-entropy), a text
/// classifier's (Bidirectional GRU, RMSprop, precision/recall/AUC) or a sequence regressor's (Conv1D, LayerNormalization,
/// GELU, SGD with momentum, a validation split) and
/// lists the methods the JIT compiled on the way that are the library's or the vector math it could call instead of its
/// own kernels (<c>TensorPrimitives</c>' drivers, the runtime's generic vector exp and log). Each one would be compiled
/// on the training thread at its first call (a generic instantiation crossgen2 did not see constructed, a tuple-typed
/// job's <c>Execute</c>, a method it refused, a <c>TensorPrimitives</c> driver).
/// </summary>
public class FirstCallTests
{
    [Theory]
    [InlineData("graph")]
    [InlineData("cnn")]
    [InlineData("rnn")]
    [InlineData("text")]
    [InlineData("sequence")]
    public async Task A_fresh_process_trains_evaluates_and_predicts_without_jitting_a_kernel_or_a_Dendrite_method(string workload)
    {
        // Only where the build wrote the image (a Release build on Linux x64; see build/DendriteReadyToRun.targets).
        if (!IsReadyToRunImage(Path.Combine(AppContext.BaseDirectory, "Dendrite.dll"))) return;
        var info = WriterChild.StartInfo("--first-call-jit", workload);
        info.Environment["DOTNET_TieredCompilation"] = "0";
        info.Environment["DOTNET_ReadyToRun"] = "1";
        using var child = System.Diagnostics.Process.Start(info)!;
        var read = child.StandardOutput.ReadToEndAsync();
        if (!child.WaitForExit(120_000)) { child.Kill(); Assert.Fail("the child did not end"); }
        string output = await read;
        Assert.True(child.ExitCode == 0, output + child.StandardError.ReadToEnd());
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("jitted ", lines[^1]);
        Assert.True(lines[^1] == "jitted 0", "jitted at their first call: " + string.Join("; ", lines[..^1]));
    }

    /// <summary>Whether the assembly at <paramref name="path"/> carries precompiled code (a ReadyToRun header).</summary>
    internal static bool IsReadyToRunImage(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        return pe.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }
}
