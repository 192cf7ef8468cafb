using System.Runtime.CompilerServices;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Convolutions of many small images (a CNN's training batch): the output pixels are cut into chunks whose patches fit
/// in a core's L2 cache (about 64K floats, at most 512 rows), and <see cref="WorkerPool"/> parts claim whole chunks, each
/// copying its patches into its own small buffer and multiplying them on one thread with the unpacked GEMM (the patches
/// stay in cache between the copy and the product; no 16 MB buffer streamed through memory, no barriers inside small
/// GEMMs). The kernel gradient sums each group of chunks into its own partial, added in group order at the end
/// (<see cref="GroupedPartials"/>: the same sum in every run). The input gradient
/// stays on the general path (a version giving each part whole images measured slower here).
/// </summary>
internal static unsafe class ConvChunked
{
    private const int TargetFloats = 1 << 16;

    [ThreadStatic] private static AlignedBuffer? _col;

    /// <summary>Output rows per chunk: about 64K floats of patches, a multiple of 8 rows, 8 to 512.</summary>
    private static int ChunkRows(int kk) => Math.Clamp(TargetFloats / Math.Max(kk, 1) / 8 * 8, 8, 512);

    /// <summary>Off: every convolution takes the general path (a switch for tests and measurements).</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>
    /// Whether a forward or kernel-gradient convolution takes this path: groups = 1, patch rows of at least 64 floats
    /// (measured here, min of 20-40 alternating runs at load 15-25, ms, general vs this: W5's 3x3x32 stride 2 forward
    /// 1.65 vs 1.16 and kernel gradient 1.70 vs 1.42, 3x3x32 -> 64 forward 2.18 vs 1.66, 3x3x64 stride 2 0.92 vs 0.77;
    /// but its first layer, 3x3x3 (27-float rows), 1.60 vs 2.43 and 2.03 vs 2.97), and at least as many chunks as threads.
    /// </summary>
    public static bool Applies(in ConvSpec s)
    {
        int kk = s.KH * s.KW * s.C;
        if (!Enabled || Gemm.KernelBits != 512 || s.Groups != 1 || kk < 64) return false;
        long rowsAll = (long)s.N * s.OH * s.OW;
        return (rowsAll + ChunkRows(kk) - 1) / ChunkRows(kk) >= Settings.Threads && rowsAll <= int.MaxValue;
    }

    public static void Forward(float* x, float* k, float* y, in ConvSpec s) => Run(0, x, k, y, s, 0f);

    public static void KernelGrad(float* x, float* dy, float* dk, in ConvSpec s, float beta) => Run(2, x, dk, dy, s, beta);

    private static void Run(int mode, float* image, float* k, float* y, in ConvSpec s, float beta)
    {
        int kk = s.KH * s.KW * s.C, chunk = ChunkRows(kk);
        long rowsAll = (long)s.N * s.OH * s.OW;
        int units = (int)((rowsAll + chunk - 1) / chunk);
        long work = rowsAll * kk * s.F;
        int parts = work < Gemm.ParallelThreshold ? 1 : Math.Min(Math.Min(Settings.Threads, units), MaxParts);
        var job = JobCache<Job>.TakeSpare() ?? new Job();
        job.Set(mode, image, k, y, s, chunk, units, parts);
        try
        {
            if (parts <= 1) job.Execute(0, 1);
            else WorkerPool.Run(job, parts);
            if (mode == 2) job.Partials.AddTo(k, (int)s.KernelSize, beta);
        }
        finally { JobCache<Job>.Return(job); }
    }

    private static readonly int MaxParts = Environment.ProcessorCount;

    private sealed class Job : IParallelJob
    {
        private int _mode, _chunk, _units, _next;
        private float* _image, _k, _y;
        private ConvSpec _s;

        /// <summary>The kernel gradient's per-group sums (mode 2).</summary>
        public readonly GroupedPartials Partials = new();

        public void Set(int mode, float* image, float* k, float* y, in ConvSpec s, int chunk, int units, int parts)
        {
            _image = image;
            _k = k;
            _y = y;
            (_mode, _s, _chunk, _units) = (mode, s, chunk, units);
            if (mode == 2) Partials.Set(units, parts, s.KernelSize);
            _next = 0;
        }

        // Units (forward) or groups of units (kernel gradient) are claimed one at a time, so a part whose thread the
        // machine deschedules holds the others up by at most one (the pool may also run fewer parts than asked).
        public void Execute(int part, int parts)
        {
            if (_mode == 2) KernelGradGroups();
            else ForwardUnits();
        }

        private int Claim() => Interlocked.Increment(ref _next) - 1;

        private void ForwardUnits()
        {
            ref readonly ConvSpec s = ref _s;
            int kk = s.KH * s.KW * s.C;
            float* col = (_col ??= new AlignedBuffer()).Get((long)_chunk * kk);
            for (int u = Claim(); u < _units; u = Claim())
            {
                long r0 = (long)u * _chunk;
                int rows = (int)Math.Min(_chunk, RowsAll - r0);
                Conv.Im2Col(_image, col, s, 0, r0, 0, rows);
                Gemm.Sgemm(false, false, rows, s.F, kk, 1f, col, kk, _k, s.F, 0f, _y + r0 * s.F, s.F, 512, 1);
            }
        }

        private void KernelGradGroups()
        {
            ref readonly ConvSpec s = ref _s;
            int kk = s.KH * s.KW * s.C;
            float* col = (_col ??= new AlignedBuffer()).Get((long)_chunk * kk);
            while (Partials.Claim(out int g, out int first, out int end))
            {
                float* acc = Partials.Buffer(g, s.KernelSize);
                for (int u = first; u < end; u++)
                {
                    long r0 = (long)u * _chunk;
                    int rows = (int)Math.Min(_chunk, RowsAll - r0);
                    Conv.Im2Col(_image, col, s, 0, r0, 0, rows);
                    Gemm.Sgemm(true, false, kk, s.F, rows, 1f, col, kk, _y + r0 * s.F, s.F, u == first ? 0f : 1f, acc, s.F, 512, 1);
                }
            }
        }

        private long RowsAll => (long)_s.N * _s.OH * _s.OW;
    }
}
