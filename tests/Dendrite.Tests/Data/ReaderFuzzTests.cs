using System.Globalization;
using Dendrite.Tests.TestKit;
using Xunit.Abstractions;

namespace Dendrite.Tests.Data;

/// <summary>
/// Seeded mutation fuzzing of every file reader: whatever the bytes, a reader returns an array or throws
/// <see cref="InvalidDataException"/> / <see cref="NotSupportedException"/> naming the file; it never allocates more
/// than 64 MB for an input under 1 MB and never takes over 2 s on one input. Each format runs for
/// DENDRITE_FUZZ_SECONDS (default 2) from seed DENDRITE_FUZZ_SEED (default 21); DENDRITE_FUZZ_REPORT names a file that
/// gets one summary line per format (for longer campaigns run by hand); DENDRITE_FUZZ_VERBOSE=1 adds each failure's stack trace.
/// </summary>
public sealed class ReaderFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const long MaxAllocation = 64L << 20;
    private static readonly TimeSpan MaxCaseTime = TimeSpan.FromSeconds(2);
    private const int MinCases = 200;

    private readonly string _dir = Directory.CreateTempSubdirectory("dendrite-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Targets() => new(FuzzTargets.Names);

    [Theory, MemberData(nameof(Targets))]
    public void Reader_survives_mutated_files(string name)
    {
        var target = FuzzTargets.Get(name);
        double seconds = double.Parse(Environment.GetEnvironmentVariable("DENDRITE_FUZZ_SECONDS") ?? "2", CultureInfo.InvariantCulture);
        int seed = int.Parse(Environment.GetEnvironmentVariable("DENDRITE_FUZZ_SEED") ?? "21", CultureInfo.InvariantCulture)
            + name.Sum(c => c);
        var fuzzer = new MutationFuzzer(seed, target.Seeds, target.Tokens);
        bool verbose = Environment.GetEnvironmentVariable("DENDRITE_FUZZ_VERBOSE") == "1";      // failures with their stack traces
        string path = Path.Combine(_dir, "case." + name);
        var byType = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        int cases = 0, accepted = 0;
        long maxAlloc = 0;
        var maxTime = TimeSpan.Zero;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // The valid seeds themselves must read: a reader that refuses everything would pass the checks below.
        foreach (var s in target.Seeds)
            Assert.Null(MutationFuzzer.Run(target.Post?.Invoke(s, 0) ?? s, path, target.Read).Error);

        while (cases < MinCases || clock.Elapsed.TotalSeconds < seconds)
        {
            var input = fuzzer.Next();
            if (target.Post is not null) input = target.Post(input, cases);
            var o = MutationFuzzer.Run(input, path, target.Read);
            cases++;
            maxAlloc = Math.Max(maxAlloc, o.AllocatedBytes);
            if (o.Elapsed > maxTime) maxTime = o.Elapsed;
            string kind = o.Error?.GetType().Name ?? "accepted";
            byType[kind] = byType.GetValueOrDefault(kind) + 1;
            if (o.Error is null) accepted++;
            string? problem = o.Error is null or InvalidDataException or NotSupportedException ? null : $"{kind}: {o.Error.Message}";
            if (problem is null && o.Error is not null && !o.Error.Message.Contains(Path.GetFileName(path), StringComparison.Ordinal))
                problem = $"{kind} without the file name: {o.Error.Message}";
            if (problem is null && input.Length < (1 << 20) && o.AllocatedBytes > MaxAllocation)
                problem = $"allocated {o.AllocatedBytes:N0} bytes for a {input.Length}-byte input";
            if (problem is null && o.Elapsed > MaxCaseTime) problem = $"took {o.Elapsed.TotalSeconds:F1} s";
            if (problem is not null && verbose) problem += $"\n  {o.Error}";
            if (problem is not null && failures.Count < 5)
                failures.Add($"{problem}\n  input ({input.Length} bytes, base64): {Convert.ToBase64String(input.Length <= 4096 ? input : input[..4096])}");
        }

        string summary = $"{name}: {cases} cases in {clock.Elapsed.TotalSeconds:F1} s, " +
            string.Join(", ", byType.Select(kv => $"{kv.Key} {kv.Value}")) +
            $"; max allocation {maxAlloc:N0} bytes, max time {maxTime.TotalMilliseconds:F0} ms";
        output.WriteLine(summary);
        if (Environment.GetEnvironmentVariable("DENDRITE_FUZZ_REPORT") is { Length: > 0 } report)
            File.AppendAllText(report, summary + Environment.NewLine);
        Assert.True(failures.Count == 0, $"{summary}\n{string.Join("\n", failures)}");
        // The mutations must reach both outcomes, or the campaign tested nothing.
        Assert.True(accepted > 0 && accepted < cases, summary);
    }
}
