using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dendrite.Benchmarks;

/// <summary>
/// The FP32 multiply-add rate the machine gives this process right now, on one thread and on two at once (`fma`
/// workload, ~0.5 s). On the 2-vCPU VMs the two vCPUs are not always two physical cores' worth: for seconds at a time
/// (2026-12-03, a Zen 4 VM) two threads together got one core's rate, as when the host runs both vCPUs on the two
/// hyperthreads of one core, and every FMA-bound figure of both programs halved with it (our 512 and 1024 products at
/// 100-115 GFLOP/s for whole phases of a process against 175-205 in others, both threads running on separate vCPUs).
/// The check also times a cache line bouncing between two threads (<see cref="RoundTrip"/>), which tells the host's three
/// placements of the two vCPUs apart (measured 2026-12-03 on the Zen 4 VM, W7's training step on two threads against one):
/// two cores of one core complex, ~85-100 ns a round trip from C# (55-60 from C), the two threads' rate twice one's, the
/// step 0.55-0.63x of one thread's time; the two hyperthreads of one core, 64-69 ns in one probe (but 62 ns also came
/// with two cores' FMA rate: the rate is what tells this one), the two threads' rate one core's, the step 0.95-1.02x; cores of different complexes (or sockets), 320-350 ns, the rate twice one's but every cache line the
/// other thread wrote crossing between them, the step 0.81-1.09x. Over a few minutes the last came in about a third of
/// two-second samples at some times and not at all at others.
/// compare.sh runs this before and after each program's run, so that a round's ratio can be read against what each side had.
/// </summary>
internal static class FmaCheck
{
    private const int Chains = 12, InnerIterations = 1 << 14;

    public static void Run()
    {
        var one = new List<double>();
        var two = new List<double>();
        var trip = new List<double>();
        for (int r = 0; r < 3; r++)
        {
            one.Add(Measure(1));
            two.Add(Measure(2));
            trip.Add(RoundTrip());
        }
        Console.WriteLine($"{{\"workload\": \"FMA\", \"width\": {Width}, \"one_thread_gflops\": {Stats.Json(one)}, " +
            $"\"two_threads_gflops\": {Stats.Json(two)}, \"round_trip_ns\": {Stats.Json(trip)}, \"two_over_one\": {Math.Round(Median(two) / Median(one), 2).ToString(System.Globalization.CultureInfo.InvariantCulture)}}}");
    }

    private static int Width => Vector512.IsHardwareAccelerated ? 16 : 8;

    private static double Median(List<double> v)
    {
        var s = v.Order().ToArray();
        return s[s.Length / 2];
    }

    /// <summary>GFLOP/s of <paramref name="threads"/> threads each running independent multiply-add chains for ~80 ms.</summary>
    private static double Measure(int threads)
    {
        const double seconds = 0.08;
        var flops = new double[threads];
        using var start = new Barrier(threads);
        var workers = new Thread[threads];
        long t0 = 0, t1 = 0;
        for (int t = 0; t < threads; t++)
        {
            int id = t;
            workers[t] = new Thread(() =>
            {
                start.SignalAndWait();
                if (id == 0) Volatile.Write(ref t0, Stopwatch.GetTimestamp());
                long end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
                long rounds = 0;
                float sink = 0;
                while (Stopwatch.GetTimestamp() < end) { sink += Chain(1.0f + id * 1e-3f); rounds++; }
                if (sink == 42f) Console.Write("");
                flops[id] = rounds * (double)InnerIterations * Chains * Width * 2;
                if (id == 0) Volatile.Write(ref t1, Stopwatch.GetTimestamp());
            });
            workers[t].Start();
        }
        foreach (var w in workers) w.Join();
        return flops.Sum() / ((t1 - t0) / (double)Stopwatch.Frequency) / 1e9;
    }

    /// <summary>Nanoseconds for a value to go from one thread to another and back (two threads taking turns to advance a
    /// shared counter): the cost of a cache line moving between the cores the two threads run on. The median of nine
    /// stretches of 10,000 trips (~1-3.5 ms each) after one unmeasured stretch: a stretch in which the OS ran both threads
    /// on one vCPU for a moment takes far longer, and is left out by the median. Gives up after <see cref="TripBudget"/>
    /// (one vCPU, or both busy with other programs: each trip then waits for a time slice) with the stretches so far, the
    /// one it stopped in counted by the trips it made.</summary>
    private static double RoundTrip()
    {
        const int trips = 10_000, stretches = 10;
        var line = new long[48]; // the counter at [8] and the stop flag at [32]: a cache line each, whatever the alignment
        using var start = new Barrier(2);
        var partner = new Thread(() =>
        {
            start.SignalAndWait();
            for (long i = 0; i < (long)trips * stretches; i++)
            {
                while (Volatile.Read(ref line[8]) != 2 * i + 1)
                    if (Volatile.Read(ref line[32]) != 0) return;
                Volatile.Write(ref line[8], 2 * i + 2);
            }
        });
        partner.Start();
        start.SignalAndWait();
        var ns = new List<double>();
        long deadline = Stopwatch.GetTimestamp() + (long)(TripBudget.TotalSeconds * Stopwatch.Frequency);
        for (long s = 0, i = 0; s < stretches; s++)
        {
            long t0 = Stopwatch.GetTimestamp(), first = i;
            bool late = false;
            for (long end = i + trips; i < end && !late; i++)
            {
                Volatile.Write(ref line[8], 2 * i + 1);
                while (Volatile.Read(ref line[8]) != 2 * i + 2)
                    if (Stopwatch.GetTimestamp() > deadline) { late = true; break; }
            }
            long done = late ? i - 1 - first : i - first;
            if ((s > 0 || late) && done > 0) ns.Add((Stopwatch.GetTimestamp() - t0) * 1e9 / Stopwatch.Frequency / done);
            if (late) break;
        }
        Volatile.Write(ref line[32], 1);
        partner.Join();
        return ns.Count > 0 ? Median(ns) : TripBudget.TotalMilliseconds * 1e6;
    }

    /// <summary>The most time <see cref="RoundTrip"/> takes.</summary>
    private static readonly TimeSpan TripBudget = TimeSpan.FromMilliseconds(300);

    /// <summary><see cref="Chains"/> independent multiply-add chains of <see cref="InnerIterations"/> steps.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chain(float seed)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var m = Vector512.Create(0.999999f);
            var c = Vector512.Create(1e-7f);
            Vector512<float> a0 = Vector512.Create(seed), a1 = a0 + c, a2 = a1 + c, a3 = a2 + c, a4 = a3 + c, a5 = a4 + c;
            Vector512<float> a6 = a5 + c, a7 = a6 + c, a8 = a7 + c, a9 = a8 + c, a10 = a9 + c, a11 = a10 + c;
            for (int i = 0; i < InnerIterations; i++)
            {
                a0 = Vector512.FusedMultiplyAdd(a0, m, c); a1 = Vector512.FusedMultiplyAdd(a1, m, c);
                a2 = Vector512.FusedMultiplyAdd(a2, m, c); a3 = Vector512.FusedMultiplyAdd(a3, m, c);
                a4 = Vector512.FusedMultiplyAdd(a4, m, c); a5 = Vector512.FusedMultiplyAdd(a5, m, c);
                a6 = Vector512.FusedMultiplyAdd(a6, m, c); a7 = Vector512.FusedMultiplyAdd(a7, m, c);
                a8 = Vector512.FusedMultiplyAdd(a8, m, c); a9 = Vector512.FusedMultiplyAdd(a9, m, c);
                a10 = Vector512.FusedMultiplyAdd(a10, m, c); a11 = Vector512.FusedMultiplyAdd(a11, m, c);
            }
            return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
        }
        else
        {
            var m = Vector256.Create(0.999999f);
            var c = Vector256.Create(1e-7f);
            Vector256<float> a0 = Vector256.Create(seed), a1 = a0 + c, a2 = a1 + c, a3 = a2 + c, a4 = a3 + c, a5 = a4 + c;
            Vector256<float> a6 = a5 + c, a7 = a6 + c, a8 = a7 + c, a9 = a8 + c, a10 = a9 + c, a11 = a10 + c;
            for (int i = 0; i < InnerIterations; i++)
            {
                a0 = Vector256.FusedMultiplyAdd(a0, m, c); a1 = Vector256.FusedMultiplyAdd(a1, m, c);
                a2 = Vector256.FusedMultiplyAdd(a2, m, c); a3 = Vector256.FusedMultiplyAdd(a3, m, c);
                a4 = Vector256.FusedMultiplyAdd(a4, m, c); a5 = Vector256.FusedMultiplyAdd(a5, m, c);
                a6 = Vector256.FusedMultiplyAdd(a6, m, c); a7 = Vector256.FusedMultiplyAdd(a7, m, c);
                a8 = Vector256.FusedMultiplyAdd(a8, m, c); a9 = Vector256.FusedMultiplyAdd(a9, m, c);
                a10 = Vector256.FusedMultiplyAdd(a10, m, c); a11 = Vector256.FusedMultiplyAdd(a11, m, c);
            }
            return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
        }
    }
}
