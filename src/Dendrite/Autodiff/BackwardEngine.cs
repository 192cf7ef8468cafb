using Dendrite.Backends.Cpu.Kernels;
namespace Dendrite.Autodiff;

/// <summary>Runs reverse-mode differentiation: topological order, gradient accumulation, central un-broadcasting.</summary>
internal static class BackwardEngine
{
    public static void Run(Tensor root, Tensor? seed)
    {
        if (!root.RequiresGrad)
            throw new InvalidOperationException($"Backward() was called on a tensor of shape {root.Shape} that does not require gradients: no input of the computation had RequiresGrad set.");
        if (seed is null)
        {
            if (root.Size != 1)
                throw new InvalidOperationException($"Backward() without a seed gradient needs a scalar (one element); this tensor has shape {root.Shape}. Reduce it first (e.g. Ops.Mean) or pass a seed of shape {root.Shape}.");
            seed = Tensor.Empty(root.Shape);   // scoped inside a training step
            seed.AsSpan()[0] = 1f;             // one element (not Span.Fill: a generic instantiation jitted in a fresh process)
        }
        else if (seed.Shape != root.Shape)
            throw new ArgumentException($"The seed gradient has shape {seed.Shape}, but the tensor it seeds has shape {root.Shape}.", nameof(seed));

        using var _ = GradMode.NoGrad();
        if (root.Node is null) { AccumulateLeaf(root, seed); return; }

        var order = TopologicalOrder(root);
        var ready = LeafReady;
        if (ready is not null || CountFusedUses) CountLeafUses(order);
        try { Propagate(root, seed, order, ready); }
        finally
        {
            order.Clear();
            _leafUses?.Clear();
        }
    }

    /// <summary>
    /// When set (on the training thread, around a data-parallel step's backward pass), hears of each leaf as soon as every
    /// node that uses it has run its backward, so its gradient is final for this pass: the gradient allreduce of its
    /// bucket can start while the earlier layers' gradients are still being computed.
    /// </summary>
    [ThreadStatic] internal static Action<Tensor>? LeafReady;

    [ThreadStatic] private static Dictionary<Tensor, int>? _leafUses;

    /// <summary>Set by a training step that offers its weights a fused SGD update (<see cref="Tensor.FusedSgdRate"/>):
    /// the engine then counts every leaf's readers before any backward runs, for <see cref="Readers"/>.</summary>
    [ThreadStatic] internal static bool CountFusedUses;

    /// <summary>How many recorded ops of the running backward pass read <paramref name="leaf"/> (counted when
    /// <see cref="CountFusedUses"/> is set; without a data-parallel hook nothing decrements the counts during the pass).
    /// An update in place is safe only for the only reader: every other reader's backward would see the new values.</summary>
    internal static int Readers(Tensor leaf) => _leafUses is { } uses && uses.TryGetValue(leaf, out int n) ? n : 0;

    private static void CountLeafUses(List<Tensor> order)
    {
        var uses = _leafUses ??= new Dictionary<Tensor, int>(ReferenceEqualityComparer.Instance);
        uses.Clear();
        foreach (var t in order)
        {
            var node = t.Node!;
            for (int k = 0; k < node.InputCount; k++)
                if (node.Input(k) is { Node: null, RequiresGrad: true } leaf) uses[leaf] = uses.GetValueOrDefault(leaf) + 1;
        }
    }

    private static void LeafUsed(Node node, Action<Tensor> ready)
    {
        var uses = _leafUses!;
        for (int k = 0; k < node.InputCount; k++)
        {
            if (node.Input(k) is not { Node: null, RequiresGrad: true } leaf || !uses.TryGetValue(leaf, out int left)) continue;
            if (left == 1) { uses.Remove(leaf); ready(leaf); }
            else uses[leaf] = left - 1;
        }
    }

    private static void Propagate(Tensor root, Tensor seed, List<Tensor> order, Action<Tensor>? ready)
    {
        root.GradAccum = seed;
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var t = order[i];
            var g = t.GradAccum;
            t.GradAccum = null;
            var node = t.Node!;
            if (g is null)
            {
                if (ready is not null) LeafUsed(node, ready);
                continue;
            }
            node.RunBackward(g);
            for (int k = 0; k < node.InputCount; k++)
            {
                var input = node.Input(k);
                var gi = node.Grad(k);
                if (gi is null || input is null || !input.RequiresGrad) continue;
                if (gi.Shape != input.Shape) gi = Ops.SumTo(gi, input.Shape);
                if (input.Node is null) AccumulateLeaf(input, gi);
                else input.GradAccum = input.GradAccum is null ? gi : Ops.Add(input.GradAccum, gi);
            }
            if (ready is not null) LeafUsed(node, ready);
        }
    }

    private static void AccumulateLeaf(Tensor leaf, Tensor g)
    {
        if (leaf.Grad is null)
        {
            var grad = Tensor.Persistent(leaf.Shape);
            g.AsSpan().CopyTo(grad.AsSpan());
            leaf.Grad = grad;
        }
        else if (leaf.GradIsStale) g.AsSpan().CopyTo(leaf.Grad.AsSpan());
        else SpanMath.Add(leaf.Grad.AsSpan(), g.AsSpan(), leaf.Grad.AsSpan());
        leaf.GradIsStale = false;
    }

    /// <summary>Non-leaf tensors reachable from root, each after all of its inputs.</summary>
    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        // Reused by every backward pass on this thread (nothing allocated per step once they have grown).
        var order = _order ??= [];
        var visited = _visited ??= new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = _stack ??= new Stack<(Tensor T, int Next)>();
        order.Clear();
        visited.Clear();
        stack.Clear();
        stack.Push((root, 0));
        visited.Add(root);
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var node = t.Node!;
            if (next < node.InputCount)
            {
                stack.Push((t, next + 1));
                var child = node.Input(next);
                if (child?.Node is not null && visited.Add(child)) stack.Push((child, 0));
            }
            else order.Add(t);
        }
        visited.Clear();
        return order;
    }

    [ThreadStatic] private static List<Tensor>? _order;
    [ThreadStatic] private static HashSet<Tensor>? _visited;
    [ThreadStatic] private static Stack<(Tensor T, int Next)>? _stack;
}
