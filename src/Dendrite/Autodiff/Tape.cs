namespace Dendrite.Autodiff;

/// <summary>Records ops whose inputs require gradients.</summary>
internal static class Tape
{
    /// <summary>True when an op on these inputs must be recorded.</summary>
    public static bool ShouldRecord(Tensor a) => GradMode.IsEnabled && a.RequiresGrad;

    /// <summary>True when an op on these inputs must be recorded.</summary>
    public static bool ShouldRecord(Tensor a, Tensor b) => GradMode.IsEnabled && (a.RequiresGrad || b.RequiresGrad);

    /// <summary>True when an op on these inputs (nulls skipped) must be recorded.</summary>
    public static bool ShouldRecord(ReadOnlySpan<Tensor?> inputs)
    {
        if (!GradMode.IsEnabled) return false;
        foreach (var t in inputs) if (t is not null && t.RequiresGrad) return true;
        return false;
    }

    /// <summary>Attaches a backward to <paramref name="output"/> when any input requires a gradient; returns the output.</summary>
    public static Tensor Record(Tensor output, string op, Tensor[] inputs, BackwardFunc backward)
    {
        if (ShouldRecord(inputs)) Attach(output, op, inputs, backward, null);
        return output;
    }

    public static Tensor Record(Tensor output, string op, Tensor a, BackwardFunc backward) =>
        ShouldRecord(a) ? Record(output, op, [a], backward) : output;

    public static Tensor Record(Tensor output, string op, Tensor a, Tensor b, BackwardFunc backward) =>
        ShouldRecord(a, b) ? Record(output, op, [a, b], backward) : output;

    /// <summary>
    /// The allocation-free form: attaches a static backward to <paramref name="output"/> when any input (nulls are
    /// skipped) requires a gradient, and returns the node so that the op can save its state in the node's fields;
    /// null when nothing is recorded.
    /// </summary>
    public static Node? Record(Tensor output, string op, NodeBackwardFunc backward, params ReadOnlySpan<Tensor?> inputs) =>
        ShouldRecord(inputs) ? Attach(output, op, inputs, null, backward) : null;

    private static Node Attach(Tensor output, string op, ReadOnlySpan<Tensor?> inputs, BackwardFunc? closure, NodeBackwardFunc? backward)
    {
        var node = TensorScope.Current?.RentNode() ?? new Node();
        node.Set(op, output, inputs, closure, backward);
        output.Node = node;
        output.MarkRequiresGrad();
        return node;
    }
}
