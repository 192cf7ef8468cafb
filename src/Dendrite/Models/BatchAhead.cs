using System.Runtime.CompilerServices;
using Dendrite.Backends.Cpu;

namespace Dendrite.Models;

/// <summary>
/// The next training step's input rows, gathered ahead by an idle pool worker while the current step runs. Rows picked
/// at random from data larger than the caches come from memory; gathered at the start of a step they cost W2 ~30 us of
/// a ~470 us step on both threads, while the worker spends ~90 us of every step waiting for the caller's serial work
/// (the small products, softmax and cross-entropy, the tape). <see cref="Post"/> offers the next step's rows as
/// <see cref="BackgroundWork"/> in units of ~8 KB that the worker copies between jobs into one of two buffers (the
/// step in progress reads the other); <see cref="Take"/> at the next step claims what is left (split between the
/// threads as <c>GatherRows</c> splits it) and returns tensors over the buffer. The values are the rows' own, whoever
/// copied them. Each buffer has its own <see cref="Slot"/> (rows, sources, claim word), so a worker still inside a unit
/// (descheduled by the OS) copies with the batch it claimed from; the caller then copies that batch again (the same
/// values) and does not refill the slot until the worker has finished. As with any prefetching
/// input pipeline, a change the caller makes to the training arrays during <c>Fit</c> may reach a step later.
/// </summary>
internal sealed class BatchAhead : IBackgroundWork
{
    /// <summary>Floats per unit (8 KB; a whole row when rows are longer): ~1-2 us from memory.</summary>
    private const int UnitFloats = 2048;

    /// <summary>Batches of fewer floats are gathered as they come (as <c>GatherRows</c> keeps them on one thread).</summary>
    private const long MinFloats = 1 << 15;

    /// <summary>Batches of more floats (16 MB) are gathered as they come: not worth a second copy of their memory.</summary>
    private const long MaxFloats = 1 << 22;

    /// <summary>Whether batches are gathered ahead (tests compare training with and without).</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>Whether a batch is on offer (posted, not yet taken or cancelled).</summary>
    internal bool Armed => _live is not null;

    private readonly Slot[] _slots = [new(), new()];
    private Slot? _live;
    private int _target, _generation;

    /// <summary>Offers the next step's rows of <paramref name="arrays"/> to an idle worker. Does nothing with one thread,
    /// on a busy machine, for batches too small or too large to gain, while a worker is still inside a unit of the
    /// slot's earlier batch, or when another model's batch holds the pool's slot.</summary>
    public void Post(IReadOnlyList<Tensor> arrays, ReadOnlySpan<int> rows)
    {
        Cancel();
        if (rows.IsEmpty || WorkerPool.WorkerThreads < 1 || BusyMachine.Solo || !Enabled) return;
        long floats = 0;
        for (int i = 0; i < arrays.Count; i++) floats += (long)rows.Length * (arrays[i].Size / Math.Max(1, arrays[i].Shape[0]));   // no enumerator to allocate
        if (floats < MinFloats || floats > MaxFloats) return;
        var slot = _slots[_target];
        if (slot.InFlight) return;
        slot.Prepare(arrays, rows, UnitFloats);
        if (!BackgroundWork.TryPost(this)) return;
        slot.Open(_generation = unchecked(_generation + 1));
        Volatile.Write(ref _live, slot);
    }

    /// <summary>The rows of <paramref name="arrays"/> gathered ahead, when they are the ones <see cref="Post"/> was given
    /// (tensors over this object's buffers, valid until the next <see cref="Take"/> but one); otherwise null.</summary>
    public Tensor[]? Take(IReadOnlyList<Tensor> arrays, ReadOnlySpan<int> rows)
    {
        var slot = _live;
        if (slot is null) return null;
        if (!slot.Matches(arrays, rows)) { Cancel(); return null; }
        int gen = _generation, left = slot.Remaining(gen);
        if (left > 0)
        {
            var job = JobCache<FinishJob>.TakeSpare() ?? new FinishJob();
            (job.Slot, job.Generation) = (slot, gen);
            try { WorkerPool.Run(job, Math.Min(Settings.Threads, left)); }
            finally
            {
                job.Slot = null;
                JobCache<FinishJob>.Return(job);
            }
        }
        Cancel();
        if (slot.InFlight)
        {
            // A worker is inside a unit (descheduled?): a short wait, then the caller copies the batch itself.
            var spin = new Spin();
            for (long until = Spin.Deadline(); slot.InFlight && System.Diagnostics.Stopwatch.GetTimestamp() < until;) spin.Once();
            if (slot.InFlight) slot.CopyAll();
        }
        _target ^= 1;
        return slot.Views();
    }

    /// <summary>Withdraws the offer; a unit in progress finishes on its own (into a buffer nobody reads until then).</summary>
    public void Cancel()
    {
        if (_live is not { } slot) return;
        Volatile.Write(ref _live, null);
        slot.Close(_generation);
        BackgroundWork.Withdraw(this);
    }

    /// <summary>At the end of a Fit: withdraws the offer and lets go of the training arrays (the buffers stay for the
    /// next Fit), so that a model kept after training does not keep its data alive.</summary>
    public void Release()
    {
        Cancel();
        foreach (var slot in _slots) slot.Forget();
    }

    bool IBackgroundWork.RunUnit() => Volatile.Read(ref _live) is { } slot && slot.RunUnit(slot.Generation);

    /// <summary>One buffer and the batch being gathered into it; everything a unit reads stays as it is until the slot's
    /// units have all finished.</summary>
    internal sealed class Slot
    {
        private Tensor[] _arrays = [];
        private float[][] _sources = [], _buffers = [];
        private Tensor?[] _views = [];
        private int[] _widths = [], _rowsPerUnit = [], _firstUnit = [0], _rows = [];
        private int _count;
        // The claim word: generation (bits 32-63), units (16-31), next unit to claim (0-15); as WorkerPool's.
        private long _claim;
        // Units claimed and finished over the slot's life: a difference is a unit still being copied.
        private long _claimed, _finished;

        /// <summary>The generation whose units are (or were last) on offer.</summary>
        public int Generation => (int)(Volatile.Read(ref _claim) >> 32);

        /// <summary>Whether a unit is being copied now.</summary>
        public bool InFlight => Interlocked.Read(ref _claimed) != Volatile.Read(ref _finished);

        public void Prepare(IReadOnlyList<Tensor> arrays, ReadOnlySpan<int> rows, int unitFloats)
        {
            int n = arrays.Count;
            if (_arrays.Length != n)
                (_arrays, _sources, _buffers, _views, _widths, _rowsPerUnit, _firstUnit) =
                    (new Tensor[n], new float[n][], new float[n][], new Tensor?[n], new int[n], new int[n], new int[n + 1]);
            for (int i = 0; i < n; i++)
            {
                var a = arrays[i];
                int width = a.Size / Math.Max(1, a.Shape[0]);
                if (!ReferenceEquals(_arrays[i], a)) _views[i] = null;
                (_arrays[i], _sources[i], _widths[i]) = (a, a.Data, width);
                _rowsPerUnit[i] = Math.Max(1, unitFloats / Math.Max(1, width));
                _firstUnit[i + 1] = _firstUnit[i] + (rows.Length + _rowsPerUnit[i] - 1) / _rowsPerUnit[i];
                if (_buffers[i] is not { } buf || buf.Length != rows.Length * width)
                {
                    _buffers[i] = FreshPages.NewArray(rows.Length * width, clear: false);
                    _views[i] = null;
                }
            }
            if (_rows.Length < rows.Length) _rows = new int[rows.Length];
            rows.CopyTo(_rows);
            _count = rows.Length;
        }

        /// <summary>Drops the references to the training arrays, unless a worker is still inside a unit.</summary>
        public void Forget()
        {
            if (InFlight) return;
            Array.Clear(_arrays);
            Array.Clear(_sources);
        }

        /// <summary>Puts the prepared batch's units on offer as generation <paramref name="gen"/>.</summary>
        public void Open(int gen) => Interlocked.Exchange(ref _claim, (long)gen << 32 | (long)_firstUnit[^1] << 16);

        /// <summary>Withdraws generation <paramref name="gen"/>'s unclaimed units.</summary>
        public void Close(int gen)
        {
            while (true)
            {
                long s = Volatile.Read(ref _claim);
                if ((int)(s >> 32) != gen) return;
                long closed = (s & ~0xFFFFL) | ((s >> 16) & 0xFFFF);
                if (Interlocked.CompareExchange(ref _claim, closed, s) == s) return;
            }
        }

        public int Remaining(int gen)
        {
            long s = Volatile.Read(ref _claim);
            return (int)(s >> 32) != gen ? 0 : (int)((s >> 16) & 0xFFFF) - (int)(s & 0xFFFF);
        }

        public bool Matches(IReadOnlyList<Tensor> arrays, ReadOnlySpan<int> rows)
        {
            if (arrays.Count != _arrays.Length || !rows.SequenceEqual(_rows.AsSpan(0, _count))) return false;
            for (int i = 0; i < _arrays.Length; i++)
                if (!ReferenceEquals(arrays[i], _arrays[i]) || !ReferenceEquals(arrays[i].Data, _sources[i])) return false;
            return true;
        }

        /// <summary>Claims and copies one unit of generation <paramref name="gen"/>; false when none is left.</summary>
        public bool RunUnit(int gen)
        {
            int unit = TryClaim(gen);
            if (unit < 0) return false;
            try { CopyUnit(unit); }
            finally { Interlocked.Increment(ref _finished); }
            return true;
        }

        /// <summary>Copies every unit (the caller, when a worker is stuck inside one: the same values).</summary>
        public void CopyAll()
        {
            for (int u = 0; u < _firstUnit[^1]; u++) CopyUnit(u);
        }

        /// <summary>Tensors over the buffers, the batch's shape (the objects are reused while the shape holds).</summary>
        public Tensor[] Views()
        {
            for (int i = 0; i < _arrays.Length; i++)
            {
                var v = _views[i];
                if (v is null || v.Shape[0] != _count) _views[i] = v = new Tensor(_buffers[i], _arrays[i].Shape.With(0, _count));
                v.MarkWritten();
            }
            return _views!;
        }

        private void CopyUnit(int unit)
        {
            int i = 0;
            while (unit >= _firstUnit[i + 1]) i++;
            int per = _rowsPerUnit[i], lo = (unit - _firstUnit[i]) * per, hi = Math.Min(_count, lo + per);
            CpuBackend.GatherJob.CopyRows(_sources[i], _rows.AsSpan(lo, hi - lo), _widths[i], _buffers[i], lo);
        }

        private int TryClaim(int gen)
        {
            while (true)
            {
                long s = Volatile.Read(ref _claim);
                int next = (int)(s & 0xFFFF);
                if ((int)(s >> 32) != gen || next >= (int)((s >> 16) & 0xFFFF)) return -1;
                Interlocked.Increment(ref _claimed);   // before the claim: a claimed unit is always seen in flight
                if (Interlocked.CompareExchange(ref _claim, s + 1, s) == s) return next;
                Interlocked.Decrement(ref _claimed);
            }
        }
    }

    /// <summary>The units left at <see cref="Take"/>, claimed by the caller and the workers that come (each part claims
    /// until none is left).</summary>
    internal sealed class FinishJob : IParallelJob
    {
        public Slot? Slot;
        public int Generation;

        public void Execute(int part, int parts)
        {
            var slot = Slot!;
            while (slot.RunUnit(Generation)) { }
        }
    }
}
