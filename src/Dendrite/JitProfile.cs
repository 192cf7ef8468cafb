using System.Runtime;
using System.Runtime.CompilerServices;

namespace Dendrite;

/// <summary>
/// Multicore JIT for a program's start: the runtime records which methods the program compiled into a profile file,
/// and on the next run compiles them ahead, on another core, in the order they were first needed, while the program
/// loads its data and builds its model (<see cref="ProfileOptimization"/>). The first epoch then runs mostly
/// precompiled code instead of compiling the training step's kernels on the training thread. Call it once, first
/// thing in <c>Main</c>; the first run after each build records: the runtime ignores a profile whose assemblies have
/// changed, so the file's name carries the build of the program and of Dendrite, and a rebuilt program starts a new
/// one. Without effect under Native AOT, which compiles everything ahead of time.
/// </summary>
public static class JitProfile
{
    /// <summary>
    /// Starts multicore JIT with the profile <c>{name}-{build}.jitprofile</c> in <paramref name="directory"/> (default:
    /// a <c>jit-profiles</c> folder beside the program; <c>build</c> identifies the program's and Dendrite's assemblies).
    /// Returns true when a profile recorded by this build is being replayed, false on its first run, under Native AOT,
    /// or when the folder cannot be created (then nothing is recorded either).
    /// </summary>
    /// <param name="name">The profile's name: one per program, or per workload of a program.</param>
    /// <param name="directory">Where profiles are kept; a writable folder.</param>
    public static bool Start(string name = "dendrite", string? directory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!RuntimeFeature.IsDynamicCodeSupported) return false;
        directory ??= DefaultDirectory;
        string file = FileName(name);
        try { Directory.CreateDirectory(directory); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        bool replay = File.Exists(Path.Combine(directory, file));
        ProfileOptimization.SetProfileRoot(directory);
        ProfileOptimization.StartProfile(file);
        return replay;
    }

    /// <summary>
    /// Whether this build of the program and of Dendrite has recorded the profile <paramref name="name"/> in
    /// <paramref name="directory"/> (the same defaults as <see cref="Start"/>): a run that calls <see cref="Start"/> would
    /// replay it. Starts nothing. A program that only wants a profile recorded checks this first: a run that starts a
    /// profile rewrites it when it stops or exits, with what that run compiled until then.
    /// </summary>
    /// <param name="name">The profile's name, as given to <see cref="Start"/>.</param>
    /// <param name="directory">Where profiles are kept.</param>
    public static bool IsRecorded(string name = "dendrite", string? directory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return RuntimeFeature.IsDynamicCodeSupported && File.Exists(Path.Combine(directory ?? DefaultDirectory, FileName(name)));
    }

    private static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "jit-profiles");

    internal static string FileName(string name) => $"{name}-{Build()}.jitprofile";

    /// <summary>Eight hex digits from the module version ids of the program and of Dendrite: new on every build of either.</summary>
    private static string Build()
    {
        var ours = typeof(JitProfile).Assembly.ManifestModule.ModuleVersionId;
        var program = System.Reflection.Assembly.GetEntryAssembly()?.ManifestModule.ModuleVersionId ?? Guid.Empty;
        Span<byte> bytes = stackalloc byte[32];
        ours.TryWriteBytes(bytes);
        program.TryWriteBytes(bytes[16..]);
        uint h = 2166136261;   // FNV-1a: the same name in every process (HashCode is seeded per process)
        foreach (byte b in bytes) h = (h ^ b) * 16777619;
        return h.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Ends the profile started by <see cref="Start"/>: what was compiled so far is what the next run compiles ahead,
    /// and the rest of this run compiles its methods at their first call, as without a profile. Call it once the
    /// start-up you want fast is over (after the first epoch, say), so that the next run's background compilation does
    /// not spend the training's cores on methods needed only later.
    /// </summary>
    public static void Stop()
    {
        if (RuntimeFeature.IsDynamicCodeSupported) ProfileOptimization.StartProfile(null);
    }
}
