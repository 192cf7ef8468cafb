using System.Text.RegularExpressions;
using Dendrite.Tests.TestKit;

namespace Dendrite.Tests;

/// <summary>
/// The README's "Use Dendrite from your own project": pack both packages, then build and run a fresh console project
/// that references them from a local feed. Offline-safe: the only other source is the machine's NuGet package cache,
/// which the test project's own restore has filled with every dependency.
/// </summary>
public sealed class PackageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dendrite-package-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int ExitCode, string StdOut, string StdErr) Dotnet(string workDir, params string[] args)
    {
        var env = new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };
        var r = RepoProcess.Run("dotnet", args, env, TimeSpan.FromMinutes(5), workDir);
        Assert.True(r.ExitCode == 0, $"dotnet {string.Join(' ', args)} failed ({r.ExitCode}):\n{r.StdOut}\n{r.StdErr}");
        return r;
    }

    [Fact]
    public void A_fresh_console_project_builds_and_runs_against_the_packed_packages()
    {
        string version = Regex.Match(File.ReadAllText(Path.Combine(RepoProcess.Root, "Directory.Build.props")), "<VersionPrefix>(.*?)</VersionPrefix>").Groups[1].Value;
        Assert.NotEmpty(version);
        string feed = Path.Combine(_dir, "feed"), app = Path.Combine(_dir, "app");
        string configuration = RepoProcess.Configuration;
        foreach (var project in new[] { "src/Dendrite", "src/Dendrite.Plotting" })
            Dotnet(RepoProcess.Root, "pack", project, "-c", configuration, "--no-build", "-o", feed);
        Assert.True(File.Exists(Path.Combine(feed, $"Dendrite.{version}.nupkg")));
        Assert.True(File.Exists(Path.Combine(feed, $"Dendrite.Plotting.{version}.nupkg")));

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
        // Its own package folder, so that a Dendrite of the same version restored earlier is never used instead.
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RestorePackagesPath>{Path.Combine(_dir, "packages")}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Dendrite" Version="{version}" />
                <PackageReference Include="Dendrite.Plotting" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using Dendrite;
            using Dendrite.Data;
            using Dendrite.Layers;
            using Dendrite.Models;

            var r = new Random(0);                        // System.Random, next to using Dendrite;
            Utils.SetRandomSeed(1);
            var model = new Sequential([new Input(shape: [2]), new Dense(1, activation: "sigmoid")]);
            model.Compile(optimizer: "adam", loss: "BinaryCrossentropy", metrics: new[] { "accuracy" });
            model.Fit(new double[,] { { 0, 0 }, { 1, 1 } }, new[] { 0, 1 }, epochs: 1, verbose: 0);
            Console.WriteLine(r.Next(10) >= 0 ? "random ok" : "");
            Console.WriteLine((Tensor.FromArray(new[] { 0.2f, 0.7f }) > 0.5f).ToInt32Array().Sum());
            Console.WriteLine(typeof(Dendrite.Plotting.Plots).Name);
            Console.WriteLine(typeof(Tensor).Assembly.Location);
            """);
        var run = Dotnet(app, "run", "-c", "Release");
        var lines = run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["random ok", "1", "Plots"], lines[..^1]);

        // Packed on linux-x64 where the build compiled the portable ReadyToRun image: the package carries it as the
        // linux-x64 runtime asset, and the application here loads it (its framework code starts precompiled).
        string image = Path.Combine(RepoProcess.Root, "src", "Dendrite", "bin", configuration, "net10.0", "r2r-portable", "Dendrite.dll");
        using (var package = System.IO.Compression.ZipFile.OpenRead(Path.Combine(feed, $"Dendrite.{version}.nupkg")))
        {
            var entry = package.GetEntry("runtimes/linux-x64/lib/net10.0/Dendrite.dll");
            Assert.Equal(File.Exists(image), entry is not null);
            Assert.NotNull(package.GetEntry("lib/net10.0/Dendrite.dll"));
            if (entry is not null)
            {
                string unpacked = Path.Combine(_dir, "unpacked-Dendrite.dll");
                System.IO.Compression.ZipFileExtensions.ExtractToFile(entry, unpacked);
                Assert.True(Backends.FirstCallTests.IsReadyToRunImage(unpacked), "the package's linux-x64 Dendrite.dll has no ReadyToRun code");
                if (OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64)
                    Assert.Contains(Path.Combine("runtimes", "linux-x64", "lib", "net10.0", "Dendrite.dll"), lines[^1]);
            }
        }

        // Dendrite's buildTransitive targets: a program that does not choose runs with tiered compilation off.
        var runtimeConfig = Directory.GetFiles(Path.Combine(app, "bin"), "App.runtimeconfig.json", SearchOption.AllDirectories).Single();
        Assert.Contains("\"System.Runtime.TieredCompilation\": false", File.ReadAllText(runtimeConfig));
        Assert.DoesNotContain("QuickJitForLoops", File.ReadAllText(runtimeConfig));
        // ... and keeps it with the documented opt-out, where methods with loops (the kernels) still start optimised.
        Dotnet(app, "build", "-c", "Release", "-p:DendriteTieredCompilation=true");
        Assert.DoesNotContain("\"System.Runtime.TieredCompilation\":", File.ReadAllText(runtimeConfig));
        Assert.Contains("\"System.Runtime.TieredCompilation.QuickJitForLoops\": false", File.ReadAllText(runtimeConfig));

        // Dendrite.Plotting's buildTransitive targets: only this platform's SkiaSharp/HarfBuzz native files, no native symbols.
        BuildOutput.AssertLean(Path.Combine(app, "bin"));
    }
}
