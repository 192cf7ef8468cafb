using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests;

/// <summary>
/// The README's "Deployment / Native AOT": a fresh console project referencing the packed Dendrite package, published
/// with Native AOT and default settings, uses the same vector widths as the JIT (the package's build/Dendrite.targets picks
/// the build machine's instruction sets, native, for x64 AOT publishes) and trains the MNIST MLP (784-256-128-10, Adam,
/// batch 32) to the JIT's loss. Speed is the benchmark program's business, not a test's (the README has the figures).
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

    private static double Loss(string stdout) =>
        double.Parse(Regex.Match(stdout, @"loss (\S+)").Groups[1].Value, CultureInfo.InvariantCulture);

    /// <summary>The program: prints its vector widths, then trains three seeded epochs of 100 steps and prints the last loss.</summary>
    internal const string Program = """
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
        var history = model.Fit(x, y, batchSize: batch, epochs: 3, verbose: 0, shuffle: false);
        Console.WriteLine($"vector256={Vector256.IsHardwareAccelerated} vector512={Vector512.IsHardwareAccelerated}");
        Console.WriteLine(FormattableString.Invariant($"loss {history["loss"][^1]:R}"));
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
    public void A_native_aot_publish_with_default_settings_uses_the_jits_vectors_and_trains_to_its_loss()
    {
        string app = CreateApp(_dir);
        string jit = Path.Combine(_dir, "jit"), aot = Path.Combine(_dir, "aot");
        Run("dotnet", app, null, "build", "-c", "Release", "--disable-build-servers", "-o", jit);
        var publish = Run("dotnet", app, null, "publish", "-c", "Release", "-r", "linux-x64", "--disable-build-servers", "-o", aot, "-v:n");
        Assert.Contains("IlcInstructionSet=native", publish.StdOut);

        var j = Run("dotnet", app, null, Path.Combine(jit, "App.dll"));
        var a = Run(Path.Combine(aot, "App"), app, null);
        Assert.Contains("vector256=True", a.StdOut);
        Assert.DoesNotContain("Dendrite warning", a.StdErr);
        // The same vector widths as the JIT (AVX-512 where the build machine has it), so the same kernels and the same loss.
        Assert.Equal(Regex.Match(j.StdOut, "vector256=.*").Value, Regex.Match(a.StdOut, "vector256=.*").Value);
        double jitLoss = Loss(j.StdOut), aotLoss = Loss(a.StdOut);
        Assert.True(double.IsFinite(aotLoss) && Math.Abs(aotLoss - jitLoss) <= 1e-4 * Math.Abs(jitLoss),
            $"Native AOT trained to loss {aotLoss} against the JIT's {jitLoss}.");
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
