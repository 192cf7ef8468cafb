namespace Dendrite.Backends.Cpu;

/// <summary>
/// Scratch arrays kept per thread (in a <c>[ThreadStatic]</c> field of their user) and grown on demand, instead of rented
/// from <c>ArrayPool&lt;T&gt;.Shared</c>, whose instantiations no ReadyToRun image holds (jitted at a fresh process's first
/// step). A grown array is new, so it holds zeros until its user writes to it.
/// </summary>
internal static class ThreadScratch
{
    /// <summary>The array in <paramref name="field"/> when it holds at least <paramref name="length"/> values, else a new
    /// one of max(<paramref name="length"/>, <paramref name="minimum"/>) values, stored there.</summary>
    public static T[] Get<T>(ref T[]? field, int length, int minimum = 64) =>
        field is { } f && f.Length >= length ? f : field = new T[Math.Max(length, minimum)];
}
