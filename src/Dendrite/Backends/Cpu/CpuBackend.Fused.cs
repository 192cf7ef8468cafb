using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Runtime.Intrinsics;
using Dendrite.Backends.Cpu.Kernels;

namespace Dendrite.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void BiasActivation(Tensor x, Tensor? bias, UnaryOp? op, float alpha, Tensor? z, Tensor y)
    {
        int n = x.Shape[^1], rows = n == 0 ? 0 : x.Size / n;
        if (bias is not null && bias.Size != n)
            throw new ArgumentException($"BiasActivation: bias of {bias.Size} values for rows of {n}.");
        if (y.Size != x.Size || (z is not null && z.Size != x.Size))
            throw new ArgumentException($"BiasActivation: output sizes {y.Size}/{z?.Size} differ from the input's {x.Size}.");
        int parts = rows >= 2 && (long)rows * n >= BiasActSplitMin && Settings.Threads >= 2 ? Settings.Threads : 1;
        if (parts <= 1)
        {
            BiasActRows(x, bias, op, alpha, z, y, 0, rows, n);
            return;
        }
        PartedLoop.Run(rows, Math.Min(parts, rows), new BiasActArgs(x, bias, op, alpha, z, y, n), static (lo, hi, _, s) =>
            BiasActRows(s.X, s.Bias, s.Op, s.Alpha, s.Z, s.Y, lo, hi, s.N));
    }

    /// <summary><see cref="BiasActivation"/>'s arguments for its parted loop: a named struct, not a tuple, so that the
    /// loop's job is precompiled (<see cref="PartedLoop.Run{TState}"/>).</summary>
    private readonly struct BiasActArgs(Tensor x, Tensor? bias, UnaryOp? op, float alpha, Tensor? z, Tensor y, int n)
    {
        public readonly Tensor X = x, Y = y;
        public readonly Tensor? Bias = bias, Z = z;
        public readonly UnaryOp? Op = op;
        public readonly float Alpha = alpha;
        public readonly int N = n;
    }

    /// <summary>
    /// From this many values (32 KB) on, the bias and activation pass is split by rows between the threads. Its input was
    /// just written by a product that both threads computed, and on a VM whose vCPUs sit far apart a line the other
    /// core wrote costs tens of nanoseconds to fetch: W2's 64x128 and 64x256 layers (timed inside the training step, the
    /// two ways alternating call by call in one process, 471 calls each, three processes) 5.7-7.5 -> 4.1-4.5 us and
    /// 6.4-7.7 -> 5.6-6.5 us; in a slow phase of the machine the one-thread pass took 20-45 us. The pool's job costs ~1 us,
    /// so smaller passes (W1's 32x200) stay on the calling thread.
    /// </summary>
    internal const int BiasActSplitMin = 8192;

    /// <summary>Rows [r0, r1) of <see cref="BiasActivation"/>.</summary>
    internal static void BiasActRows(Tensor x, Tensor? bias, UnaryOp? op, float alpha, Tensor? z, Tensor y, int r0, int r1, int n)
    {
        switch (op)
        {
            case null: BiasAct(new IdentityOp(), x, bias, z, y, r0, r1, n); break;
            case UnaryOp.Relu: BiasAct(new ReluOp(), x, bias, z, y, r0, r1, n); break;
            case UnaryOp.Relu6: BiasAct(new Relu6Op(), x, bias, z, y, r0, r1, n); break;
            case UnaryOp.LeakyRelu: BiasAct(new LeakyReluOp(alpha), x, bias, z, y, r0, r1, n); break;
            case UnaryOp.Elu: BiasAct(new EluOp(alpha), x, bias, z, y, r0, r1, n); break;
            case UnaryOp.Selu: BiasAct(new SeluOp(), x, bias, z, y, r0, r1, n); break;
            case UnaryOp.Gelu: BiasAct(new GeluOp(), x, bias, z, y, r0, r1, n); break;
            case UnaryOp.Sigmoid: BiasAct(new SigmoidOp(), x, bias, z, y, r0, r1, n); break;
            case UnaryOp.HardSigmoid: BiasAct(new HardSigmoidOp(), x, bias, z, y, r0, r1, n); break;
            case UnaryOp.HardSigmoidKeras2: BiasAct(new HardSigmoidKeras2Op(), x, bias, z, y, r0, r1, n); break;
            case UnaryOp.Tanh: BiasAct(new TanhOp(), x, bias, z, y, r0, r1, n); break;
            case UnaryOp.Softplus: BiasAct(new SoftplusOp(), x, bias, z, y, r0, r1, n); break;
            case UnaryOp.Softsign: BiasAct(new SoftsignOp(), x, bias, z, y, r0, r1, n); break;
            case UnaryOp.Silu: BiasAct(new SiluOp(), x, bias, z, y, r0, r1, n); break;
            case UnaryOp.Mish: BiasAct(new MishOp(), x, bias, z, y, r0, r1, n); break;
            case UnaryOp.Exp: BiasAct(new ExpOp(), x, bias, z, y, r0, r1, n); break;
            default:
                // Any other op: the bias pass over these rows, then the op's own kernel over them.
                var pre = z ?? y;
                BiasAct(new IdentityOp(), x, bias, null, pre, r0, r1, n);
                UnaryRange(op.Value, pre.Data.AsSpan(r0 * n, (r1 - r0) * n), y.Data.AsSpan(r0 * n, (r1 - r0) * n), alpha, 0f);
                pre.MarkWritten();
                y.MarkWritten();
                break;
        }
    }

    /// <summary>Per row: v = x + bias; z = v (when kept); y = op(v). One pass, the bias loaded once per vector.</summary>
    private static void BiasAct<TOp>(TOp op, Tensor x, Tensor? bias, Tensor? z, Tensor y, int r0, int r1, int n) where TOp : struct, IUnaryOp
    {
        ref float px = ref MemoryMarshal.GetArrayDataReference(x.Data);
        ref float py = ref MemoryMarshal.GetArrayDataReference(y.Data);
        ref float pz = ref z is null ? ref Unsafe.NullRef<float>() : ref MemoryMarshal.GetArrayDataReference(z.Data);
        bool keep = z is not null;
        float[] zeros = bias is null ? ZeroRow(n) : bias.Data;
        ref float pb = ref MemoryMarshal.GetArrayDataReference(zeros);
        for (int r = r0; r < r1; r++)
        {
            nuint o = (nuint)r * (nuint)n, i = 0, len = (nuint)n;
            if (Vector512.IsHardwareAccelerated)
                for (; i + 16 <= len; i += 16)
                {
                    var v = Vector512.LoadUnsafe(ref px, o + i) + Vector512.LoadUnsafe(ref pb, i);
                    if (keep) v.StoreUnsafe(ref pz, o + i);
                    op.Invoke(v).StoreUnsafe(ref py, o + i);
                }
            if (Vector256.IsHardwareAccelerated)
                for (; i + 8 <= len; i += 8)
                {
                    var v = Vector256.LoadUnsafe(ref px, o + i) + Vector256.LoadUnsafe(ref pb, i);
                    if (keep) v.StoreUnsafe(ref pz, o + i);
                    op.Invoke(v).StoreUnsafe(ref py, o + i);
                }
            for (; i < len; i++)
            {
                float v = Unsafe.Add(ref px, o + i) + Unsafe.Add(ref pb, i);
                if (keep) Unsafe.Add(ref pz, o + i) = v;
                Unsafe.Add(ref py, o + i) = op.Invoke(v);
            }
        }
    }

    [ThreadStatic] private static float[]? _zeroRow;

    private static float[] ZeroRow(int n) => ThreadScratch.Get(ref _zeroRow, n, minimum: 256);   // never written: zeros

    public void SumRows(Tensor x, Tensor y)
    {
        int n = y.Size, rows = n == 0 ? 0 : x.Size / n;
        if (rows * n != x.Size) Kernels.KernelThrow.Argument("SumRows: {0} values are not whole rows of {1}.", x.Size, n);
        var dst = y.AsSpan();
        dst.Clear();
        // Row by row, in order: the same sums as the central un-broadcast of the autodiff engine. Short rows (a
        // convolution's bias over its pixels) add in place without a library call per row.
        if (n >= 256 || n < System.Numerics.Vector<float>.Count)
        {
            for (int r = 0; r < rows; r++) Kernels.SpanMath.Add(dst, x.Data.AsSpan(r * n, n), dst);
            return;
        }
        unsafe
        {
            fixed (float* px = x.Data, py = y.Data) SumShortRows(px, py, rows, n);
        }
    }

    private static unsafe void SumShortRows(float* x, float* y, int rows, int n)
    {
        int w = System.Numerics.Vector<float>.Count;
        for (int r = 0; r < rows; r++)
        {
            float* row = x + (long)r * n;
            int k = 0;
            for (; k <= n - w; k += w)
                Unsafe.WriteUnaligned(y + k, Unsafe.ReadUnaligned<System.Numerics.Vector<float>>(y + k) + Unsafe.ReadUnaligned<System.Numerics.Vector<float>>(row + k));
            for (; k < n; k++) y[k] += row[k];
        }
    }

    public PackedMatrix? Pack(Tensor b)
    {
        if (b.Rank != 2) throw new ArgumentException($"Pack needs a 2-D operand, got shape {b.Shape}.");
        if (Gemm.KernelBits != 512) return null;
        unsafe
        {
            fixed (float* pb = b.Data) return new Gemm.PackedPanels(pb, b.Shape[1], b.Shape[0], b.Shape[1]);
        }
    }

    public void MatMulPacked(Tensor a, int aRow, PackedMatrix b, Tensor c)
    {
        if (b is not Gemm.PackedPanels panels) throw new ArgumentException("MatMulPacked: the operand was packed by another backend.");
        int k = panels.Rows, n = panels.Columns, m = c.Size / Math.Max(1, n);
        if (c.Size != m * n) throw new ArgumentException($"MatMulPacked: output of {c.Size} values is not rows of {n}.");
        if (a.Rank == 0 || a.Size / Math.Max(1, a.Shape[0]) != k || aRow < 0 || aRow + m > a.Shape[0])
            throw new ArgumentException($"MatMulPacked: rows {aRow}..{aRow + m} of {a.Shape} with {k} columns are out of range.");
        unsafe
        {
            fixed (float* pa = a.Data, pc = c.Data) Gemm.SgemmPacked(m, pa + (long)aRow * k, k, panels, pc, n, Settings.Threads);
        }
        GC.KeepAlive(panels);
    }

    public float Sum(Tensor x) => AccurateSum(x.AsSpan());

    public void SoftmaxCrossEntropyGrad(Tensor probs, Tensor labels, float scale, Tensor dz)
    {
        int c = probs.Shape[^1], rows = c == 0 ? 0 : probs.Size / c;
        if (c <= ShortSoftmaxRow)
        {
            SoftmaxCrossEntropyGradShortRows(probs.Data, labels.Data, scale, dz.Data, rows, c);
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            var p = probs.Data.AsSpan(r * c, c);
            var t = labels.Data.AsSpan(r * c, c);
            var d = dz.Data.AsSpan(r * c, c);
            SpanMath.Multiply(p, SpanMath.Sum(t), d);
            SpanMath.Subtract(d, t, d);
            SpanMath.Multiply(d, scale, d);
        }
    }

    public void GatherRows(Tensor x, ReadOnlySpan<int> rows, Tensor y)
    {
        int n = x.Shape[0], width = n == 0 ? 0 : x.Size / n;
        if (y.Size < rows.Length * width) throw new ArgumentException($"GatherRows: {rows.Length} rows of {width} do not fit in {y.Size} values.");
        foreach (int r in rows)
            if ((uint)r >= (uint)n) throw new IndexOutOfRangeException($"GatherRows: row {r} is outside 0..{n - 1}.");
        // Rows picked at random from a large data set come from memory: two threads keep more loads in flight.
        if ((long)rows.Length * width >= 1 << 15 && rows.Length >= 2 && Settings.Threads >= 2)
        {
            var job = JobCache<GatherJob>.TakeSpare() ?? new GatherJob();
            job.Set(x, rows, y, width);
            try { WorkerPool.Run(job, Settings.Threads); }
            finally
            {
                job.Clear();
                JobCache<GatherJob>.Return(job);
            }
            return;
        }
        GatherJob.CopyRows(x.Data, rows, width, y.Data, 0);
    }

    // Internal, not private: crossgen2 precompiles a private method only when code it compiles calls it, and the
    // callers it cannot precompile would leave them to the JIT (docs/ARCHITECTURE.md, "The first call").
    internal sealed class GatherJob : IParallelJob
    {
        private int[] _rows = [];
        private int _count, _width;
        private float[] _x = [], _y = [];

        public void Set(Tensor x, ReadOnlySpan<int> rows, Tensor y, int width)
        {
            if (_rows.Length < rows.Length) _rows = new int[rows.Length];
            rows.CopyTo(_rows);
            (_count, _width, _x, _y) = (rows.Length, width, x.Data, y.Data);
        }

        public void Clear() => (_x, _y) = ([], []);

        public void Execute(int part, int parts)
        {
            int lo = (int)((long)_count * part / parts), hi = (int)((long)_count * (part + 1) / parts);
            CopyRows(_x, _rows.AsSpan(lo, hi - lo), _width, _y, lo);
        }

        /// <summary>Rows at most this long (4 KB) have the next row's cache lines requested before the current one is
        /// copied: a short row ends before the hardware prefetcher has ramped up on it.</summary>
        internal const int PrefetchWidth = 1024;

        /// <summary>Copies x's <paramref name="rows"/> (each <paramref name="width"/> long) into y from row
        /// <paramref name="first"/> on. For short rows, the next row's lines are requested first (two rows' misses in
        /// flight instead of one): 64 random rows of 784 floats from a 31 MB array, one thread, 54 -> 43 us (median of 80;
        /// 1-8 rows ahead alike); rows of 3,072 floats unchanged (61-63 us), so those are copied as they come.</summary>
        internal static unsafe void CopyRows(float[] x, ReadOnlySpan<int> rows, int width, float[] y, int first)
        {
            fixed (float* px = x, py = y)
            {
                bool ahead = width <= PrefetchWidth && Sse.IsSupported;
                if (ahead && rows.Length > 0) PrefetchRow(px + (long)rows[0] * width, width);
                for (int j = 0; j < rows.Length; j++)
                {
                    if (ahead && j + 1 < rows.Length) PrefetchRow(px + (long)rows[j + 1] * width, width);
                    new ReadOnlySpan<float>(px + (long)rows[j] * width, width).CopyTo(new Span<float>(py + (long)(first + j) * width, width));
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static unsafe void PrefetchRow(float* row, int width)
        {
            for (byte* p = (byte*)row, end = (byte*)(row + width); p < end; p += 64) Sse.Prefetch0(p);
        }
    }

    private readonly struct IdentityOp : IUnaryOp
    {
        public float Invoke(float x) => x;
        public Vector256<float> Invoke(Vector256<float> x) => x;
        public Vector512<float> Invoke(Vector512<float> x) => x;
    }
}
