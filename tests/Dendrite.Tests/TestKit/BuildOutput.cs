using System.Runtime.InteropServices;

namespace Dendrite.Tests.TestKit;

/// <summary>Checks on the build output of a program that references Dendrite.Plotting (SkiaSharp's native files).</summary>
internal static class BuildOutput
{
    /// <summary>The most a small program referencing Dendrite.Plotting may write (it was ~546 MB with every platform's files).</summary>
    public const long MaxBytes = 60L * 1024 * 1024;

    /// <summary>
    /// Asserts that <paramref name="bin"/> holds at most <see cref="MaxBytes"/>, native files of the running platform only
    /// (runtimes/{this RID} or its OS-wide folder) and no native symbols.
    /// </summary>
    public static void AssertLean(string bin)
    {
        Assert.True(Directory.Exists(bin), $"No build output at {bin}.");
        var files = Directory.GetFiles(bin, "*", SearchOption.AllDirectories);
        long bytes = files.Sum(f => new FileInfo(f).Length);
        Assert.True(bytes <= MaxBytes, $"{bin} holds {bytes / 1048576.0:F1} MB, more than {MaxBytes / 1048576} MB:\n" +
            string.Join('\n', files.OrderByDescending(f => new FileInfo(f).Length).Take(10).Select(f => $"{new FileInfo(f).Length / 1048576.0,8:F1} MB {f}")));
        string rid = RuntimeInformation.RuntimeIdentifier, os = rid.Split('-')[0];
        var foreign = Directory.GetDirectories(bin, "runtimes", SearchOption.AllDirectories)
            .SelectMany(Directory.GetDirectories)
            .Where(d => Path.GetFileName(d) != rid && Path.GetFileName(d) != os).ToList();
        Assert.True(foreign.Count == 0, $"Native files of other platforms in {bin}:\n{string.Join('\n', foreign)}");
        var symbols = files.Where(f => f.Contains($"{Path.DirectorySeparatorChar}runtimes{Path.DirectorySeparatorChar}") && (f.EndsWith(".pdb") || f.EndsWith(".dbg"))).ToList();
        Assert.True(symbols.Count == 0, $"Native symbols in {bin}:\n{string.Join('\n', symbols)}");
    }
}
