namespace Dendrite.Autodiff;

/// <summary>Records ops whose inputs require gradients.</summary>
internal static class Tape
{
    /// <summary>True when an op on these inputs must be recorded.</summary>
    public static bool ShouldRecord(Tensor a) => GradMode.IsEnabled && a.RequiresGrad;

    /// <summary>True when an op on these inputs must be recorded.</summary>
    public static bool ShouldRecord(Tensor a, Tensor b) => GradMode.IsEnabled && (a.RequiresGrad || b.RequiresGrad);

    /// <summary>Attaches a backward to <paramref name="output"/> when any input requires a gradient; returns the output.</summary>
    public static Tensor Record(Tensor output, string op, Tensor[] inputs, BackwardFunc backward)
    {
        if (!GradMode.IsEnabled) return output;
        bool any = false;
        foreach (var t in inputs) any |= t.RequiresGrad;
        if (!any) return output;
        output.Node = new Node(op, inputs, backward);
        output.MarkRequiresGrad();
        return output;
    }

    public static Tensor Record(Tensor output, string op, Tensor a, BackwardFunc backward) =>
        ShouldRecord(a) ? Record(output, op, [a], backward) : output;

    public static Tensor Record(Tensor output, string op, Tensor a, Tensor b, BackwardFunc backward) =>
        ShouldRecord(a, b) ? Record(output, op, [a, b], backward) : output;
}
