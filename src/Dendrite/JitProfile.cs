using System.Runtime;
using System.Runtime.CompilerServices;

namespace Dendrite;

/// <summary>
/// Multicore JIT for a program's start: the runtime records which methods the program compiled into a profile file,
/// and on the next run compiles them ahead, on another core, in the order they were first needed, while the program
/// loads its data and builds its model (<see cref="ProfileOptimization"/>). The first epoch then runs mostly
/// precompiled code instead of compiling the training step's kernels on the training thread. Call it once, first
/// thing in <c>Main</c>; the first run after each build records (the runtime drops a profile whose assemblies have
/// changed). Without effect under Native AOT, which compiles everything ahead of time.
/// </summary>
public static class JitProfile
{
    /// <summary>
    /// Starts multicore JIT with the profile <c>{name}.jitprofile</c> in <paramref name="directory"/> (default: a
    /// <c>jit-profiles</c> folder beside the program). Returns true when a recorded profile is being replayed, false on
    /// a first run, under Native AOT, or when the folder cannot be created (then nothing is recorded either).
    /// </summary>
    /// <param name="name">The profile's name: one per program, or per workload of a program.</param>
    /// <param name="directory">Where profiles are kept; a writable folder.</param>
    public static bool Start(string name = "dendrite", string? directory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!RuntimeFeature.IsDynamicCodeSupported) return false;
        directory ??= Path.Combine(AppContext.BaseDirectory, "jit-profiles");
        string file = name + ".jitprofile";
        try { Directory.CreateDirectory(directory); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        bool replay = File.Exists(Path.Combine(directory, file));
        ProfileOptimization.SetProfileRoot(directory);
        ProfileOptimization.StartProfile(file);
        return replay;
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
