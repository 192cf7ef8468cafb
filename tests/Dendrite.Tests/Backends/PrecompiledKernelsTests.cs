using Dendrite.Tests.TestKit;

namespace Dendrite.Tests.Backends;

/// <summary>
/// Every method of the library that crossgen2 compiles is in the ReadyToRun image: none is refused for calling a method
/// with a vector parameter or result that it could not inline ("Abi unstable type"), which is what a SIMD driver over an
/// op whose vector path is not inlined, or a kernel calling the runtime's generic vector math, comes to (each one
/// jitted at its first call; docs/ARCHITECTURE.md, "The first call"). Reruns the build's own crossgen2 command with
/// --verbose into a temporary file; skips where the build made no image (another host, a Debug build, no crossgen2).
/// <see cref="FirstCallTests"/> checks what five workloads actually run; this one covers every op, used or not.
/// </summary>
public class PrecompiledKernelsTests
{
    [Fact]
    public void Crossgen2_refuses_no_method_of_the_library()
    {
        string rsp = Path.Combine(RepoProcess.Root, "src", "Dendrite", "obj", RepoProcess.Configuration, "net10.0", "r2r", "crossgen2.rsp");
        string packages = Path.Combine(RepoProcess.GlobalPackages(), "microsoft.netcore.app.crossgen2.linux-x64");
        if (!File.Exists(rsp) || !Directory.Exists(packages)) return;
        // The newest one restored (the build's is the SDK's bundled runtime version, normally the newest here).
        string? crossgen2 = Directory.GetDirectories(packages)
            .Where(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out _))
            .OrderBy(d => Version.Parse(Path.GetFileName(d).Split('-')[0]))
            .Select(d => Path.Combine(d, "tools", "crossgen2")).LastOrDefault(File.Exists);
        if (crossgen2 is null) return;
        string dir = Directory.CreateTempSubdirectory("dendrite-r2r-").FullName;
        try
        {
            string output = Path.Combine(dir, "Dendrite.dll");
            var lines = File.ReadAllLines(rsp).Select(l => l.StartsWith("--out:", StringComparison.Ordinal) ? "--out:" + output : l).Append("--verbose");
            string copy = Path.Combine(dir, "crossgen2.rsp");
            File.WriteAllLines(copy, lines);
            var r = RepoProcess.Run(crossgen2, ["@" + copy], new Dictionary<string, string>(), TimeSpan.FromMinutes(3));
            Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
            var refused = (r.StdOut + r.StdErr).Split('\n')
                .Where(l => l.Contains("was not compiled because `Abi unstable type", StringComparison.Ordinal)).ToList();
            Assert.True(refused.Count == 0, "crossgen2 left these to the JIT:\n" + string.Join("\n", refused.Take(20)));
            // The verbose report was read: it names the drivers it compiled.
            Assert.Contains("Compiling [Dendrite]Dendrite.Backends.Cpu.Kernels.SimdDriver.Unary<SigmoidOp>", r.StdOut + r.StdErr);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
