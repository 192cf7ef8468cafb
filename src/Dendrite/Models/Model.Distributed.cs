using Dendrite.Callbacks;
using Dendrite.Metrics;
using Dendrite.Training;

namespace Dendrite.Models;

public partial class Model
{
    /// <summary>
    /// Floats per gradient allreduce in data-parallel training (4 MB: Open MPI allocates a message-sized scratch buffer
    /// per call, so one huge call is slower than its pieces); tests make it small to cross bucket boundaries.
    /// </summary>
    internal static int AllReduceBucketFloats { get; set; } = 1 << 20;

    /// <summary>
    /// The data-parallel side of a Fit on several ranks (Horovod's scheme): every rank holds a full replica, takes its
    /// share of each global batch, and before every optimizer step the gradients are averaged over the ranks, each
    /// rank's weighted by its share of the batch's rows, so that <c>size</c> ranks with batch <c>b</c> train exactly like
    /// one process with batch <c>size * b</c> on the same data order.
    /// </summary>
    private sealed class ReplicaSync : IDisposable
    {
        private readonly IDataParallel _dp;
        private readonly Model _model;
        private readonly GradientReducer _reducer;
        private double[] _logState, _localState;
        private readonly int[] _flag = new int[1];
        private readonly IReadOnlyList<Tensor> _trainable;

        public ReplicaSync(IDataParallel dp, Model model)
        {
            _dp = dp;
            _model = model;
            _trainable = model.TrainableWeights;
            _reducer = new GradientReducer(dp, _trainable, AllReduceBucketFloats);
            BeforeApply = _reducer.Complete;
            GradientReady = _reducer.MarkReady;
            int stateSize = 2 + model._metrics.Sum(m => Math.Max(1, m.StateSize));
            _logState = new double[stateSize];
            _localState = new double[stateSize];
        }

        public int Rank => _dp.Rank;
        public int Size => _dp.Size;

        /// <summary>
        /// Runs between a step's backward pass and its update: every gradient becomes the average over the ranks, each
        /// rank's weighted by its share of the step's rows (<see cref="GradientReducer"/>).
        /// </summary>
        public Action BeforeApply { get; }

        /// <summary>Called by the backward pass when a weight's gradient is written (its bucket may be reduced at once).</summary>
        public Action<Tensor> GradientReady { get; }

        /// <summary>The gradient buckets (tests and benchmarks).</summary>
        public GradientReducer Reducer => _reducer;

        /// <summary>Sets the current step's rows: <paramref name="localRows"/> here of <paramref name="globalRows"/> over all ranks.</summary>
        public void BeginStep(int localRows, int globalRows) => _reducer.BeginStep(localRows, globalRows);

        /// <summary>Stops the background allreduce thread, if any.</summary>
        public void Dispose() => _reducer.Dispose();

        /// <summary>
        /// The step of a rank whose share of a short last batch is empty: it still joins the gradient average (with
        /// zeros) and applies the same update, so that the replicas stay equal.
        /// </summary>
        public void StepWithoutRows()
        {
            BeforeApply();
            _model.Optimizer!.Apply(_trainable);
        }

        /// <summary>Rank 0's weights and optimizer state on every rank (the replicas start equal).</summary>
        public void BroadcastInitialState()
        {
            foreach (var w in _model.Weights) _dp.Broadcast(w.AsSpan());
            _model.Optimizer!.BroadcastState(_model.TrainableWeights, _dp);
        }

        /// <summary>Rank 0's shuffled sample order on every rank (so every rank agrees without a shared seed).</summary>
        public void BroadcastOrder(int[] order) => _dp.Broadcast(order.AsSpan());

        /// <summary>
        /// This rank's rows of the global batch <paramref name="globalRows"/> (DistributedSampler's interleaving: rank r
        /// takes positions r, r + size, ...), written into <paramref name="buffer"/>; returns how many.
        /// </summary>
        public int Shard(ReadOnlySpan<int> globalRows, int[] buffer)
        {
            int n = 0;
            for (int i = Rank; i < globalRows.Length; i += Size) buffer[n++] = globalRows[i];
            return n;
        }

        /// <summary>
        /// The logs of the loss and metrics over every rank's rows so far: their states summed over the ranks (Keras's
        /// SUM aggregation of metric variables); a metric without a summable state gets its results averaged.
        /// Every rank gets the same values; the local states are left as they were.
        /// </summary>
        public Dictionary<string, float> ReduceLogs(Dictionary<string, float> logs, Mean lossTracker, List<Metric> metrics)
        {
            int needed = 2 + metrics.Sum(m => Math.Max(1, m.StateSize));   // F1Score's state grows with its first batch
            if (needed > _logState.Length) (_logState, _localState) = (new double[needed], new double[needed]);
            var state = _logState.AsSpan();
            lossTracker.WriteState(state);
            int at = 2;
            foreach (var m in metrics)
            {
                int n = m.StateSize;
                if (n > 0) m.WriteState(state.Slice(at, n));
                else state[at] = m.Result() / (double)Size;
                at += Math.Max(1, n);
            }
            state.CopyTo(_localState);
            _dp.AllReduceSum(state[..at]);
            // Rank 0's sums on every rank, bit for bit (an allreduce over more than two ranks may add in different orders),
            // so that callbacks deciding on these logs (EarlyStopping, ReduceLROnPlateau) decide the same everywhere.
            _dp.Broadcast(System.Runtime.InteropServices.MemoryMarshal.Cast<double, int>(state[..at]));
            logs["loss"] = Result(lossTracker, state[..2], _localState.AsSpan(0, 2));
            at = 2;
            foreach (var m in metrics)
            {
                int n = m.StateSize;
                logs[m.Name] = n > 0 ? Result(m, state.Slice(at, n), _localState.AsSpan(at, n)) : (float)state[at];
                at += Math.Max(1, n);
            }
            return logs;
        }

        private static float Result(Metric m, ReadOnlySpan<double> reduced, ReadOnlySpan<double> local)
        {
            m.ReadState(reduced);
            float r = m.Result();
            m.ReadState(local);
            return r;
        }

        /// <summary>Rank 0's StopTraining on every rank, so that every rank leaves the loop at the same step.</summary>
        public bool AgreeOnStop(bool stop)
        {
            _flag[0] = stop ? 1 : 0;
            _dp.Broadcast(_flag.AsSpan());
            return _flag[0] != 0;
        }

        /// <summary>Stops every rank of the job, naming this one and the error.</summary>
        public void Abort(Exception e) =>
            _dp.Abort($"Dendrite: rank {Rank} of {Size} failed in Fit: {e.GetType().Name}: {e.Message}; stopping every rank.");
    }

    /// <summary>The callbacks this rank runs: on ranks other than 0, those that write (progress bar, checkpoints, logs) are left out.</summary>
    private static List<Callback> CallbacksForRank(List<Callback> callbacks, int rank) =>
        rank == 0 ? callbacks : callbacks.Where(c => !c.RankZeroOnly).ToList();
}
