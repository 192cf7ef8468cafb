using System.Runtime.ExceptionServices;
using Dendrite.Autodiff;
using Dendrite.Layers;

namespace Dendrite.Models;

public partial class Model
{
    /// <summary>A batch is split into row lanes only when each lane gets at least this many rows...</summary>
    private const int MinLaneRows = 8;

    /// <summary>Rows per lane from which a batch is split into two lanes per thread.</summary>
    private const int RowsForTwoLanesPerThread = 64;

    /// <summary>The most rows of a lane of <see cref="PredictInLanes"/>: measured with lanes of 32, 64, 128 and 256 rows
    /// (one W2 process each, twice): W2 709-754k, 733-771k, 786-788k, 742-761k samples/s; W1 271-274k, 276-277k,
    /// 274-276k, 262-266k (the lane's activations stay in the core's L2).</summary>
    private const int MaxCallLaneRows = 128;

    /// <summary>Multiply-adds per row (about the weights read per row) under which two lanes per thread may be used.</summary>
    private const long MaxWeightsForTwoLanesPerThread = 1L << 19;

    /// <summary>...and at least this much work (rows x <see cref="WorkPerRow"/>).</summary>
    private const long MinLaneWork = 1L << 18;

    /// <summary>
    /// Multiply-adds per row from which a batch runs in one piece: each layer's kernels then have enough work to split
    /// it between the threads themselves (parts claim images or GEMM tiles), balanced layer by layer, where two lanes
    /// are two fixed halves and a descheduled thread holds up its half. Measured (2026-12-02, alternating fresh
    /// processes, a shared machine): W5's CNN (10.8M per row) predicted 12.0-12.4k/s in lanes, 13.0-13.2k in one piece
    /// (five rounds); W4 (25M) 5.59-5.73k against 5.87-6.09k (three); the MLPs (W1, W2, W7: 0.3-1M) showed no steady
    /// difference, so they keep their lanes. Not a clear win everywhere: lanes use 5-10% less CPU time per sample (no
    /// waits between layers), and in a quieter moment W5 favoured them in two rounds of three (16.2k against 14.6k).
    /// </summary>
    private const long MaxWorkPerRowForLanes = 1L << 22;

    private (int Version, bool Allowed, long Weights)? _laneInfo;
    private int _planVersion;

    /// <summary>Drops what was worked out for the graph (its lane rule): the graph or the compile settings changed.</summary>
    private void InvalidatePlans() => Interlocked.Increment(ref _planVersion);

    /// <summary>Whether Predict and Evaluate may split a batch into row lanes (tests compare with one piece).</summary>
    internal bool InferenceLanesEnabled { get; set; } = true;

    /// <summary>The most lanes a batch of the last inference call on this model was split into (tests).</summary>
    internal int LastInferenceLanes { get; set; } = 1;

    /// <summary>
    /// The model's outputs for rows [start, start + count) of <paramref name="x"/>, without autodiff, as tensors of the
    /// caller's open <see cref="TensorScope"/>. A batch with enough work is split by rows into lanes, one per core, that
    /// walk the whole graph at the same time, each on its own thread, scope and buffers (kernels inside a lane run on
    /// it alone: no barrier between layers, no serial pass while the other core waits); rows are independent at
    /// inference, so the outputs equal those of one piece. Models whose rows are not independent (a stateful recurrent
    /// layer, a <see cref="Lambda"/> or a layer type from outside the library) run in one piece.
    /// </summary>
    internal IReadOnlyList<Tensor> RunInference(IReadOnlyList<Tensor> x, int start, int count)
    {
        int lanes = InferenceLanes(count);
        if (lanes <= 1) return Run(InputRows(x, start, count), training: false);
        LastInferenceLanes = Math.Max(LastInferenceLanes, lanes);
        var outputs = new Tensor[_outputs.Count];
        var logits = new Tensor[_outputs.Count];
        for (int o = 0; o < outputs.Length; o++)
        {
            outputs[o] = Tensor.Empty(BatchShape(_outputs[o].Shape, count));
            logits[o] = Tensor.Empty(outputs[o].Shape);
        }
        // The job object is the thread's own, reused batch after batch (a nested call, rare, makes a new one).
        var job = _spareJob ?? new LaneJob();
        _spareJob = null;
        try
        {
            job.Set(this, x, start, count, lanes, outputs, logits);
            Ops.Direct.RunLanes(lanes, job.RunLane);
            // A lane's failure (a layer's ArgumentException, say) surfaces as itself, whichever thread ran the lane.
            job.Error?.Throw();
            // A softmax/sigmoid output keeps its logits, so that Evaluate's loss is computed from them as in one piece.
            for (int o = 0; o < outputs.Length; o++)
                if (job.LogitsKind(o) is { } softmax) outputs[o].SourceLogits = (logits[o], softmax);
            return outputs;
        }
        finally
        {
            job.Clear();
            _spareJob = job;
        }
    }

    /// <summary>
    /// Rows [start, start + count) of <paramref name="x"/> predicted in lanes that span the whole call, for a Predict
    /// without per-batch hooks (no callbacks, no progress bar): lanes of a batch's share per thread (at most
    /// <see cref="MaxCallLaneRows"/>; W2 at batch 256: 128 rows), claimed one at a time by the threads across
    /// batch boundaries and written straight into <paramref name="results"/> (one tensor per output, all rows). Batch by
    /// batch, each batch ends at a barrier: its last lane on the slower thread (a vCPU the host slows, 15-25% for
    /// seconds here) holds up the other, and the batch's outputs are copied once more. Rows are independent at
    /// inference and a row's products do not depend on the rows beside it, so the results are those of the batches.
    /// Returns false, having done nothing, when a batch would run in one piece (then the caller goes batch by batch).
    /// The token is checked before every lane.
    /// </summary>
    internal bool PredictInLanes(IReadOnlyList<Tensor> x, int start, int count, int batchSize, List<Tensor> results,
        CancellationToken cancellationToken)
    {
        int batch = Math.Min(batchSize, count);
        if (InferenceLanes(batch) <= 1) return false;
        // A batch's share per thread, at most MaxCallLaneRows: with lanes claimed across the whole call the second lane
        // per thread (which balanced each batch's end) only adds passes over the weights.
        int threads = Ops.Direct.Lanes;
        int laneRows = Math.Min(MaxCallLaneRows, (batch + threads - 1) / threads);
        int lanes = (int)(((long)count + laneRows - 1) / laneRows);
        LastInferenceLanes = Math.Max(LastInferenceLanes, (batch + laneRows - 1) / laneRows);   // a batch's rows
        var job = _spareJob ?? new LaneJob();
        _spareJob = null;
        try
        {
            job.Set(this, x, start, count, lanes, [.. results], [], laneRows, cancellationToken);
            Ops.Direct.RunLanes(lanes, job.RunLane);
            job.Error?.Throw();
            return true;
        }
        finally
        {
            job.Clear();
            _spareJob = job;
        }
    }

    /// <summary>How many lanes a batch of <paramref name="count"/> rows runs on (1: in one piece).</summary>
    private int InferenceLanes(int count)
    {
        if (!InferenceLanesEnabled) return 1;
        int threads = Ops.Direct.Lanes;
        int lanes = Math.Min(threads, count / MinLaneRows);
        if (lanes <= 1) return 1;
        int version = Volatile.Read(ref _planVersion);
        if (_laneInfo is not { } info || info.Version != version)
            _laneInfo = info = (version, RowsIndependent(this) && _outputs.All(o => o.Shape.All(d => d > 0)), WorkPerRow());
        // Two lanes per thread when each gets RowsForTwoLanesPerThread rows or more and the weights are small (every
        // lane reads all of them again): lanes are claimed one at a time, so a worker the OS has descheduled holds up a
        // quarter of the batch, not half (W2/W7 predict 1.4-1.8x under load; W1's 2.6 MB of weights: no gain).
        if (count >= 2 * threads * RowsForTwoLanesPerThread && info.Weights < MaxWeightsForTwoLanesPerThread) lanes = 2 * threads;
        if (!info.Allowed || count * info.Weights < MinLaneWork * lanes || info.Weights >= MaxWorkPerRowForLanes) return 1;
        return lanes;
    }

    /// <summary>About the multiply-adds per row: each layer call's weights times the positions of its first input (1 for
    /// a vector, h x w for an image, steps for a sequence).</summary>
    private long WorkPerRow()
    {
        long work = 0;
        foreach (var node in _nodes)
        {
            if (node.Layer is Input || node.Inputs.Count == 0) continue;
            var shape = node.Inputs[0].Shape;
            long positions = shape.Rank <= 1 || shape[^1] <= 0 ? 1 : Math.Max(1, (long)shape.Size / shape[^1]);
            foreach (var w in node.Layer.Weights) work += positions * w.Size;
        }
        return work;
    }

    /// <summary>Whether a layer computes each row of its output from the same row of its inputs alone at inference.</summary>
    private static bool RowsIndependent(Layer layer) => layer switch
    {
        Model m => m.Layers.All(RowsIndependent),
        RecurrentLayer r => !r.Stateful,
        Bidirectional b => RowsIndependent(b.ForwardLayer) && RowsIndependent(b.BackwardLayer),
        TimeDistributed t => RowsIndependent(t.Layer),
        Lambda => false,
        _ => layer.GetType().Assembly == typeof(Layer).Assembly,
    };

    private sealed record InPlaceInputs(int Version, bool[] Inputs);

    private InPlaceInputs? _inPlace;   // replaced whole (concurrent Predict calls read it)

    /// <summary>Whether every layer that reads input <paramref name="input"/> reads its rows in place (a Dense on vectors
    /// reads them from the caller's array: no copy of the batch; <see cref="RowSource"/>), and the input is no output.</summary>
    private bool ReadInPlace(SymbolicTensor input)
    {
        if (input.Shape.Rank != 1 || _outputs.Any(o => ReferenceEquals(o, input))) return false;
        bool read = false;
        foreach (var node in _nodes)
        {
            if (node.Layer is Input) continue;
            foreach (var arg in node.Inputs)
                if (ReferenceEquals(arg, input))
                {
                    if (node.Layer is not Dense) return false;
                    read = true;
                }
        }
        return read;
    }

    [ThreadStatic] private static RowSource[]? _rowSources;

    /// <summary>Rows [start, start + count) of each input: copied into tensors of the open scope, or, for an input read
    /// only in place (see <see cref="ReadInPlace"/>), a tensor of the scope that points at the rows (<see cref="RowSource"/>).</summary>
    private Tensor[] InputRows(IReadOnlyList<Tensor> x, int start, int count)
    {
        int version = Volatile.Read(ref _planVersion);
        if (_inPlace is not { } known || known.Version != version)
        {
            // A loop, not Select(...).ToArray(): LINQ into bools is jitted at the first Predict (FirstCallTests).
            var inputs = new bool[_inputs.Count];
            for (int i = 0; i < inputs.Length; i++) inputs[i] = ReadInPlace(_inputs[i]);
            _inPlace = known = new(version, inputs);
        }
        var inPlace = known.Inputs;
        if (inPlace.Length != x.Count) return RowsOf(x, start, count);
        var rows = new Tensor[x.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            var t = x[i];
            if (!inPlace[i] || t.Rank != 2)
            {
                rows[i] = RowsOf(t, start, count);
                continue;
            }
            var sources = _rowSources is { } rs && rs.Length >= x.Count ? rs : _rowSources = new RowSource[Math.Max(4, x.Count)];
            var source = sources[i] ??= new RowSource();
            (source.Source, source.Row) = (t, start);
            rows[i] = Tensor.Empty(t.Shape.With(0, count));
            rows[i].SourceRows = source;
        }
        return rows;
    }

    private static Tensor RowsOf(Tensor t, int start, int count)
    {
        int width = t.Shape[0] == 0 ? 0 : t.Size / t.Shape[0];
        var rows = Tensor.Empty(t.Shape.With(0, count));
        t.AsSpan().Slice(start * width, count * width).CopyTo(rows.AsSpan());
        return rows;
    }

    /// <summary>Rows [start, start + count) of each array, copied into tensors of the open scope.</summary>
    private static Tensor[] RowsOf(IReadOnlyList<Tensor> x, int start, int count)
    {
        var rows = new Tensor[x.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            var t = x[i];
            int width = t.Shape[0] == 0 ? 0 : t.Size / t.Shape[0];
            rows[i] = Tensor.Empty(t.Shape.With(0, count));
            t.AsSpan().Slice(start * width, count * width).CopyTo(rows[i].AsSpan());
        }
        return rows;
    }

    private static Shape BatchShape(Shape sample, int rows)
    {
        var dims = new int[sample.Rank + 1];
        dims[0] = rows;
        for (int d = 0; d < sample.Rank; d++) dims[d + 1] = sample[d];
        return new Shape(dims);
    }

    [ThreadStatic] private static LaneJob? _spareJob;

    /// <summary>One batch's lanes (an equal share of its rows each), or a whole Predict call's (<c>laneRows</c> rows
    /// each): lane l walks the graph on its rows and copies its outputs (and, for a batch, its logits) into place.</summary>
    private sealed class LaneJob
    {
        private Model? _model;
        private IReadOnlyList<Tensor>? _x;
        private Tensor[] _outputs = [], _logits = [];
        private int _start, _count, _lanes, _laneRows, _ran;
        private int[] _withLogits = [], _softmax = [];
        private CancellationToken _token;

        public LaneJob() => RunLane = Run;

        /// <summary>The lane body handed to <see cref="Ops.Direct.RunLanes"/> (one delegate for the job's life).</summary>
        public Action<int> RunLane { get; }

        public ExceptionDispatchInfo? Error { get; private set; }

        /// <summary>Lanes over rows [start, start + count) of x: <paramref name="laneRows"/> rows each, or (0) an equal
        /// share; <paramref name="logits"/> empty when the logits are not wanted.</summary>
        public void Set(Model model, IReadOnlyList<Tensor> x, int start, int count, int lanes, Tensor[] outputs, Tensor[] logits,
            int laneRows = 0, CancellationToken token = default)
        {
            (_model, _x, _start, _count, _lanes, _outputs, _logits, _ran, Error) = (model, x, start, count, lanes, outputs, logits, 0, null);
            (_laneRows, _token) = (laneRows, token);
            if (_withLogits.Length != outputs.Length) (_withLogits, _softmax) = (new int[outputs.Length], new int[outputs.Length]);
            Array.Clear(_withLogits);
            Array.Clear(_softmax);
        }

        public void Clear() => (_model, _x, _outputs, _logits, Error, _token) = (null, null, [], [], null, default);

        /// <summary>For output <paramref name="o"/>: true (softmax) or false (sigmoid) when every lane's output came from
        /// logits of that kind, which were copied into the batch's logits; else null.</summary>
        public bool? LogitsKind(int o) =>
            _withLogits[o] == _ran && (_softmax[o] == 0 || _softmax[o] == _ran) ? _softmax[o] == _ran : null;

        private void Run(int lane)
        {
            try { RunCore(lane); }
            catch (Exception e)
            {
                lock (this) Error ??= ExceptionDispatchInfo.Capture(e);
            }
        }

        private void RunCore(int lane)
        {
            int count = _count, lo, hi;
            if (_laneRows > 0) (lo, hi) = (lane * _laneRows, (int)Math.Min(count, (long)(lane + 1) * _laneRows));
            else (lo, hi) = ((int)((long)count * lane / _lanes), (int)((long)count * (lane + 1) / _lanes));
            if (hi <= lo) return;
            _token.ThrowIfCancellationRequested();
            using var scope = TensorScope.Begin();
            using var noGrad = GradMode.NoGrad();
            var results = _model!.Run(_model.InputRows(_x!, _start + lo, hi - lo), training: false);
            Interlocked.Increment(ref _ran);
            for (int o = 0; o < _outputs.Length; o++)
            {
                var r = results[o];
                int width = _outputs[o].Size / count;
                if (r.Size != (hi - lo) * width)
                    throw new InvalidOperationException($"Predict: output {o} of the model has shape {r.Shape} for {hi - lo} rows, not ({hi - lo}, {string.Join(", ", _outputs[o].Shape.ToArray()[1..])}).");
                r.AsSpan().CopyTo(_outputs[o].AsSpan().Slice(lo * width, r.Size));
                if (_logits.Length > 0 && r.SourceLogits is { } s && s.Logits.Size == r.Size)
                {
                    s.Logits.AsSpan().CopyTo(_logits[o].AsSpan().Slice(lo * width, r.Size));
                    Interlocked.Increment(ref _withLogits[o]);
                    if (s.Softmax) Interlocked.Increment(ref _softmax[o]);
                }
            }
        }
    }
}
