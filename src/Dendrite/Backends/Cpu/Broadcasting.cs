namespace Dendrite.Backends.Cpu;

/// <summary>
/// Plans an elementwise loop over an output shape with inputs broadcast to it: per-operand strides (0 on broadcast
/// axes), with adjacent axes merged wherever every operand allows it, so the innermost loop is as long as possible.
/// </summary>
internal readonly struct BroadcastPlan
{
    public readonly int[] Dims;
    public readonly int[][] Strides;

    private BroadcastPlan(int[] dims, int[][] strides) { Dims = dims; Strides = strides; }

    public int Inner => Dims[^1];
    public int Outer => Dims.Length == 0 ? 1 : Dims.Aggregate(1, (a, d) => a * d) / Inner;

    /// <summary>The plan for two operands, from a small per-thread cache of recent plans (a training loop repeats the
    /// same few shapes every step, so planning allocates nothing in the steady state).</summary>
    public static BroadcastPlan Create(Shape output, Shape a, Shape b) => Cached(output, a, b, default, 2);

    /// <summary>The plan for three operands (cached as the two-operand one).</summary>
    public static BroadcastPlan Create(Shape output, Shape a, Shape b, Shape c) => Cached(output, a, b, c, 3);

    /// <summary>The plan for any number of operands (not cached).</summary>
    public static BroadcastPlan Create(Shape output, params Shape[] inputs) => CreateNew(output, inputs);

    private const int CacheSize = 32;
    [ThreadStatic] private static (Shape Out, Shape A, Shape B, Shape C, int Ops, BroadcastPlan Plan)[]? _cache;
    [ThreadStatic] private static int _next;

    private static BroadcastPlan Cached(Shape output, Shape a, Shape b, Shape c, int ops)
    {
        var cache = _cache ??= new (Shape, Shape, Shape, Shape, int, BroadcastPlan)[CacheSize];
        foreach (ref var e in cache.AsSpan())
            if (e.Ops == ops && e.Out == output && e.A == a && e.B == b && (ops == 2 || e.C == c)) return e.Plan;
        var plan = ops == 2 ? CreateNew(output, [a, b]) : CreateNew(output, [a, b, c]);
        cache[_next] = (output, a, b, c, ops, plan);
        _next = (_next + 1) % CacheSize;
        return plan;
    }

    private static BroadcastPlan CreateNew(Shape output, Shape[] inputs)
    {
        int rank = output.Rank, ops = inputs.Length;
        var raw = new int[ops][];
        for (int o = 0; o < ops; o++)
        {
            var s = inputs[o];
            if (s.Rank > rank) throw new ArgumentException($"Shape {s} has more axes than the output {output}.");
            raw[o] = new int[rank];
            int stride = 1;
            for (int i = rank - 1; i >= 0; i--)
            {
                int j = i - (rank - s.Rank);
                int d = j >= 0 ? s[j] : 1;
                if (d != 1 && d != output[i]) throw new ArgumentException($"Shape {s} does not broadcast to {output}.");
                raw[o][i] = d == 1 ? 0 : stride;
                stride *= d;
            }
        }
        var dims = new List<int>();
        var strides = new List<int>[ops];
        for (int o = 0; o < ops; o++) strides[o] = [];
        for (int i = 0; i < rank; i++)
        {
            int d = output[i];
            if (d == 1) continue;
            if (dims.Count > 0)
            {
                bool merge = true;
                for (int o = 0; o < ops && merge; o++) merge = strides[o][^1] == raw[o][i] * d;
                if (merge)
                {
                    dims[^1] *= d;
                    for (int o = 0; o < ops; o++) strides[o][^1] = raw[o][i];
                    continue;
                }
            }
            dims.Add(d);
            for (int o = 0; o < ops; o++) strides[o].Add(raw[o][i]);
        }
        if (dims.Count == 0)
        {
            dims.Add(1);
            foreach (var s in strides) s.Add(0);
        }
        return new BroadcastPlan(dims.ToArray(), strides.Select(s => s.ToArray()).ToArray());
    }

    /// <summary>Offsets of each operand at the start of outer row <paramref name="row"/> (a row spans the innermost axis).</summary>
    public void RowOffsets(int row, Span<int> offsets)
    {
        offsets.Clear();
        for (int i = Dims.Length - 2; i >= 0; i--)
        {
            int ix = row % Dims[i];
            row /= Dims[i];
            for (int o = 0; o < offsets.Length; o++) offsets[o] += ix * Strides[o][i];
        }
    }
}
