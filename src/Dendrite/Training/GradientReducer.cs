using Dendrite.Backends.Cpu.Kernels;
namespace Dendrite.Training;

/// <summary>
/// Averages the trainable weights' gradients over the ranks of a data-parallel job, in buckets of a few MB laid out
/// the same on every rank: the weights in reverse order (the last layer's gradients are ready first), consecutive
/// weights packed together up to the bucket size. Each rank's gradient counts in proportion to its rows in the step.
/// When the collectives may be called from another thread, a background thread reduces each bucket as soon as the
/// backward pass has marked its weights ready (<see cref="MarkReady"/>), overlapping the allreduce with the rest of the
/// backward pass; otherwise <see cref="Complete"/> reduces every bucket on the caller's thread. Every rank issues the same
/// collectives in the same order either way.
/// </summary>
internal sealed class GradientReducer : IDisposable
{
    private readonly IDataParallel _dp;
    private readonly Tensor[] _order;
    private readonly (int Start, int End)[] _buckets;
    private readonly int[] _bucketOf;
    private readonly Dictionary<Tensor, int> _position = new(ReferenceEqualityComparer.Instance);
    private readonly float[] _buffer;
    private readonly bool[] _ready;
    private readonly object _gate = new();
    private readonly Thread? _thread;
    private float _scale;
    private int _next, _readyCount;
    private bool _stop;
    private Exception? _error;

    public GradientReducer(IDataParallel dp, IReadOnlyList<Tensor> trainable, int bucketFloats)
    {
        _dp = dp;
        _order = trainable.Reverse().ToArray();
        for (int i = 0; i < _order.Length; i++) _position.TryAdd(_order[i], i);
        var buckets = new List<(int, int)>();
        _bucketOf = new int[_order.Length];
        long largestPacked = 1;
        for (int start = 0; start < _order.Length;)
        {
            int end = start + 1;
            long size = _order[start].Size;
            while (end < _order.Length && size + _order[end].Size <= bucketFloats) size += _order[end++].Size;
            if (end - start > 1) largestPacked = Math.Max(largestPacked, size);
            for (int i = start; i < end; i++) _bucketOf[i] = buckets.Count;
            buckets.Add((start, end));
            start = end;
        }
        _buckets = [.. buckets];
        _buffer = new float[largestPacked];
        _ready = new bool[_order.Length];
        if (dp.CollectivesFromAnyThread && _buckets.Length > 0)
        {
            _thread = new Thread(Loop) { IsBackground = true, Name = "Dendrite gradient allreduce" };
            _thread.Start();
        }
    }

    /// <summary>Buckets (allreduce calls) per step.</summary>
    public int Buckets => _buckets.Length;

    /// <summary>True when buckets are reduced on a background thread during the backward pass.</summary>
    public bool Overlaps => _thread is not null;

    /// <summary>Starts a step in which this rank trains on <paramref name="localRows"/> of <paramref name="globalRows"/>.</summary>
    public void BeginStep(int localRows, int globalRows)
    {
        lock (_gate)
        {
            _scale = (float)localRows / globalRows;
            _next = 0;
            _readyCount = 0;
            Array.Clear(_ready);
        }
    }

    /// <summary>The backward pass has written <paramref name="weight"/>'s gradient for this step.</summary>
    public void MarkReady(Tensor weight)
    {
        if (_thread is null || !_position.TryGetValue(weight, out int i)) return;
        lock (_gate)
        {
            if (_ready[i]) return;
            _ready[i] = true;
            _readyCount++;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Marks every gradient ready and returns when every bucket has been averaged over the ranks.</summary>
    public void Complete()
    {
        if (_thread is null)
        {
            for (int b = 0; b < _buckets.Length; b++) Reduce(b);
            return;
        }
        lock (_gate)
        {
            for (int i = 0; i < _ready.Length; i++) _ready[i] = true;
            _readyCount = _ready.Length;
            Monitor.PulseAll(_gate);
            while (_next < _buckets.Length && _error is null) Monitor.Wait(_gate);
            if (_error is { } e) throw new InvalidOperationException("The gradient allreduce failed.", e);
        }
    }

    private void Loop()
    {
        while (true)
        {
            int b;
            lock (_gate)
            {
                while (!_stop && !(_next < _buckets.Length && BucketReady(_next))) Monitor.Wait(_gate);
                if (_stop) return;
                b = _next;
            }
            try { Reduce(b); }
            catch (Exception e)
            {
                lock (_gate) { _error = e; Monitor.PulseAll(_gate); }
                return;
            }
            lock (_gate) { _next++; Monitor.PulseAll(_gate); }
        }
    }

    private bool BucketReady(int b)
    {
        var (start, end) = _buckets[b];
        for (int i = start; i < end; i++) if (!_ready[i]) return false;
        return true;
    }

    /// <summary>Scales this rank's gradients in bucket <paramref name="b"/>, sums them over the ranks, and writes them back.</summary>
    private void Reduce(int b)
    {
        var (start, end) = _buckets[b];
        float scale = _scale;
        if (end - start == 1)
        {
            // One weight: reduced in place in its gradient buffer (a rank without rows adds zeros).
            if (_order[start].Grad is not { } g) return;   // no gradient yet on any rank (the graph is the same everywhere)
            Scale(g.AsSpan(), scale);
            _dp.AllReduceSum(g.AsSpan());
            return;
        }
        int at = 0;
        for (int i = start; i < end; i++)
        {
            var w = _order[i];
            var dst = _buffer.AsSpan(at, w.Size);
            if (w.Grad is { } g && scale != 0) SpanMath.Multiply(g.AsSpan(), scale, dst);
            else dst.Clear();   // a rank without rows adds zeros, whatever its buffer held
            at += w.Size;
        }
        _dp.AllReduceSum(_buffer.AsSpan(0, at));
        at = 0;
        for (int i = start; i < end; i++)
        {
            var w = _order[i];
            if (w.Grad is { } g) _buffer.AsSpan(at, w.Size).CopyTo(g.AsSpan());
            at += w.Size;
        }
    }

    private static void Scale(Span<float> g, float scale)
    {
        if (scale == 0) g.Clear();   // a rank without rows adds zeros, whatever its buffer held
        else SpanMath.Multiply(g, scale, g);
    }

    public void Dispose()
    {
        if (_thread is null) return;
        lock (_gate) { _stop = true; Monitor.PulseAll(_gate); }
        _thread.Join();
    }
}
