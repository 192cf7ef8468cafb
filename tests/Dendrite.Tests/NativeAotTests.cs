using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests;

/// <summary>
/// The README's "Deployment / Native AOT": a fresh console project referencing the packed Dendrite package, published
/// with Native AOT and default settings, trains the MNIST MLP (784-256-128-10, Adam, batch 32) within 1.5x of the JIT's
/// step time, because the package's build/Dendrite.targets picks the build machine's instruction sets (native) for x64 AOT publishes.
/// Packages restore from the local feed and the machine's NuGet cache, which the test project's own restore fills
/// (ILCompiler included, see its PackageDownload).
/// </summary>
public sealed class NativeAotTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dendrite-aot-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int ExitCode, string StdOut, string StdErr) Run(string file, string workDir, IReadOnlyDictionary<string, string>? extraEnv, params string[] args)
    {
        var env = new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1", ["DENDRITE_THREADS"] = "1" };
        foreach (var (k, v) in extraEnv ?? new Dictionary<string, string>()) env[k] = v;
        var r = RepoProcess.Run(file, args, env, TimeSpan.FromMinutes(6), workDir);
        Assert.True(r.ExitCode == 0, $"{file} {string.Join(' ', args)} failed ({r.ExitCode}):\n{r.StdOut}\n{r.StdErr}");
        return r;
    }

    private static double MsPerStep(string stdout) =>
        double.Parse(Regex.Match(stdout, @"ms/step (\S+)").Groups[1].Value, CultureInfo.InvariantCulture);

    /// <summary>The timing program: several windows of 100 training steps after a warm-up; prints the median ms/step.</summary>
    internal const string Program = """
        using System.Diagnostics;
        using System.Runtime.Intrinsics;
        using Dendrite;
        using Dendrite.Data;
        using Dendrite.Layers;
        using Dendrite.Models;

        const int steps = 100, batch = 32, n = steps * batch;
        Utils.SetRandomSeed(1);
        var rng = new Random(0);
        var xs = new float[n * 784];
        for (int i = 0; i < xs.Length; i++) xs[i] = (float)rng.NextDouble();
        var ys = new float[n * 10];
        for (int i = 0; i < n; i++) ys[i * 10 + rng.Next(10)] = 1f;
        Tensor x = Tensor.FromArray(xs, n, 784), y = Tensor.FromArray(ys, n, 10);
        var model = new Sequential([new Input(shape: [784]), new Dense(256, activation: "relu"),
            new Dense(128, activation: "relu"), new Dense(10, activation: "softmax")]);
        model.Compile(optimizer: "adam", loss: "categorical_crossentropy");
        model.Fit(x, y, batchSize: batch, epochs: 1, verbose: 0);
        var times = new List<double>();
        for (int w = 0; w < 7; w++)
        {
            var sw = Stopwatch.StartNew();
            model.Fit(x, y, batchSize: batch, epochs: 1, verbose: 0, shuffle: false);
            times.Add(sw.Elapsed.TotalMilliseconds / steps);
        }
        times.Sort();
        Console.WriteLine($"vector256={Vector256.IsHardwareAccelerated} vector512={Vector512.IsHardwareAccelerated}");
        Console.WriteLine(FormattableString.Invariant($"ms/step {times[times.Count / 2]:F4}"));
        """;

    /// <summary>Writes the app (nuget.config, csproj, Program.cs) against a feed holding the freshly packed Dendrite.</summary>
    internal static string CreateApp(string dir, string extraProperties = "")
    {
        string version = Regex.Match(File.ReadAllText(Path.Combine(RepoProcess.Root, "Directory.Build.props")), "<VersionPrefix>(.*?)</VersionPrefix>").Groups[1].Value;
        string feed = Path.Combine(dir, "feed"), app = Path.Combine(dir, "app");
        Run("dotnet", RepoProcess.Root, null, "pack", "src/Dendrite", "-c", RepoProcess.Configuration, "--no-build", "--disable-build-servers", "-o", feed);
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
                <add key="cache" value="{RepoProcess.GlobalPackages()}" />
              </packageSources>
            </configuration>
            """);
        string linker = RepoProcess.FindOnPath("clang") is null ? "<CppCompilerAndLinker>gcc</CppCompilerAndLinker>" : "";
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <PublishAot>true</PublishAot>
                {linker}
                {extraProperties}
                <RestorePackagesPath>{Path.Combine(dir, "packages")}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Dendrite" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), Program);
        return app;
    }

    [NativeAotFact]
    public void A_native_aot_publish_with_default_settings_trains_within_1_5x_of_the_jit()
    {
        string app = CreateApp(_dir);
        string jit = Path.Combine(_dir, "jit"), aot = Path.Combine(_dir, "aot");
        Run("dotnet", app, null, "build", "-c", "Release", "--disable-build-servers", "-o", jit);
        var publish = Run("dotnet", app, null, "publish", "-c", "Release", "-r", "linux-x64", "--disable-build-servers", "-o", aot, "-v:n");
        Assert.Contains("IlcInstructionSet=native", publish.StdOut);

        // Alternate the two programs and keep each one's best median: another process on the machine slows one run, not both.
        double jitMs = double.MaxValue, aotMs = double.MaxValue;
        for (int round = 0; round < 2; round++)
        {
            var j = Run("dotnet", app, null, Path.Combine(jit, "App.dll"));
            var a = Run(Path.Combine(aot, "App"), app, null);
            Assert.Contains("vector256=True", a.StdOut);
            Assert.DoesNotContain("Dendrite warning", a.StdErr);
            jitMs = Math.Min(jitMs, MsPerStep(j.StdOut));
            aotMs = Math.Min(aotMs, MsPerStep(a.StdOut));
        }
        Assert.True(aotMs <= 1.5 * jitMs,
            $"Native AOT trains at {aotMs:F3} ms/step against the JIT's {jitMs:F3} ms/step ({aotMs / jitMs:F2}x, at most 1.5x expected).");
    }
}

/// <summary>A test that publishes with Native AOT: linux-x64 with clang or gcc on the PATH; skipped otherwise.</summary>
internal sealed class NativeAotFactAttribute : FactAttribute
{
    public NativeAotFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
            Skip = $"Native AOT timing runs on linux-x64 only (this is {RuntimeInformation.RuntimeIdentifier}).";
        else if (RepoProcess.FindOnPath("clang") is null && RepoProcess.FindOnPath("gcc") is null)
            Skip = "Native AOT needs a C toolchain to link: apt-get install clang (or gcc).";
        else if (!Directory.Exists(Path.Combine(RepoProcess.GlobalPackages(), "runtime.linux-x64.microsoft.dotnet.ilcompiler")))
            Skip = "The ILCompiler package is not in the NuGet cache: restore tests/Dendrite.Tests first (its PackageDownload brings it).";
    }
}
