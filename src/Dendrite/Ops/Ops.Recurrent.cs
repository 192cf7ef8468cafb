using Dendrite.Autodiff;
using Dendrite.Backends;

namespace Dendrite;

public static partial class Ops
{
    /// <summary>
    /// A recurrent layer over a whole sequence as one recorded op (forward over every step, backward over every step).
    /// x (n, t, f), kernel (f, g), recurrentKernel (u, g), bias (g) or (2, g) for a reset-after GRU. Returns
    /// (n, t, u), h after each processing step (in processing order, as Keras), or (n, t + 1, u) with the final c in
    /// row t when <paramref name="wantCell"/>. A step whose mask is 0 carries the state through; the initial states
    /// and masks receive no gradient. With <paramref name="lastOnly"/> the result is only the last h, (n, 1, u), or
    /// (n, 2, u) with the final c in row 1. When no gradient is wanted (no grad mode, or no input requires one) the
    /// kernels keep nothing for a backward pass (see ARCHITECTURE.md, recurrent layers).
    /// </summary>
    public static Tensor Recurrent(RecurrentCell cell, Tensor x, Tensor kernel, Tensor recurrentKernel, Tensor? bias, int units,
        bool goBackwards = false, RecurrentActivation activation = RecurrentActivation.Tanh,
        RecurrentActivation gateActivation = RecurrentActivation.Sigmoid, Tensor? h0 = null, Tensor? c0 = null,
        Tensor? mask = null, Tensor? recurrentMask = null, bool wantCell = false, bool lastOnly = false)
    {
        if (x.Rank != 3) throw new ArgumentException($"Recurrent: x must be (batch, steps, features), got {x.Shape}.");
        int n = x.Shape[0], t = x.Shape[1], gatesWide = cell switch { RecurrentCell.SimpleRnn => 1, RecurrentCell.Lstm => 4, _ => 3 } * units;
        if (kernel.Shape != new Shape([x.Shape[2], gatesWide]) || recurrentKernel.Shape != new Shape([units, gatesWide]))
            throw new ArgumentException($"Recurrent ({cell}): kernel {kernel.Shape} / recurrent kernel {recurrentKernel.Shape} do not fit x {x.Shape} and {units} units.");
        if (mask is not null && mask.Shape != new Shape([n, t]))
            throw new ArgumentException($"Recurrent: the mask must have shape ({n}, {t}), got {mask.Shape}.");
        if (lastOnly && t == 0) throw new ArgumentException("Recurrent: lastOnly needs at least one step, got x of shape " + x.Shape + ".");
        bool cellRow = wantCell && cell == RecurrentCell.Lstm;
        bool forwardOnly = !GradMode.IsEnabled || !(x.RequiresGrad || kernel.RequiresGrad || recurrentKernel.RequiresGrad || (bias?.RequiresGrad ?? false));
        if (forwardOnly)
        {
            Tensor? projected = null, ids = null;
            if (cell == RecurrentCell.Lstm && recurrentMask is null && x.SourceEmbedding is { } src && src.Table.Shape[1] == x.Shape[2]
                && src.Ids.Size == n * t)
            {
                projected = EmbeddingProjection.Get(src.Table, kernel, n * t);
                if (projected is not null) ids = src.Ids;
            }
            var only = new RecurrentArgs
            {
                Cell = cell, Units = units, GoBackwards = goBackwards, Activation = activation, GateActivation = gateActivation,
                X = x, Kernel = kernel, RecurrentKernel = recurrentKernel, Bias = bias, H0 = h0, C0 = c0, Mask = mask,
                RecurrentMask = recurrentMask, WantCell = cellRow, ForwardOnly = true, LastOnly = lastOnly,
                ProjectedTable = projected, TokenIds = ids,
                Output = Tensor.Empty([n, (lastOnly ? 1 : t) + (cellRow ? 1 : 0), units]),
            };
            B.RecurrentForward(only);
            return only.Output;
        }
        var args = RentArgs(cell, units, x, kernel, recurrentKernel, Tensor.Empty([n, t + (cellRow ? 1 : 0), units]));
        (args.GoBackwards, args.Activation, args.GateActivation, args.Bias, args.H0, args.C0) = (goBackwards, activation, gateActivation, bias, h0, c0);
        (args.Mask, args.RecurrentMask, args.WantCell) = (mask, recurrentMask, cellRow);
        (args.Gates, args.HPrev) = (Tensor.Empty([n, t, gatesWide]), Tensor.Empty([n, t, units]));
        args.Extra = cell == RecurrentCell.SimpleRnn ? null : Tensor.Empty([n, t, units]);
        B.RecurrentForward(args);
        if (Tape.Record(args.Output, "recurrent", RecurrentBackward, x, kernel, recurrentKernel, bias) is { } node) node.O0 = args;
        return lastOnly ? Slice(args.Output, 1, t - 1, cellRow ? 2 : 1) : args.Output;
    }

    private static void RecurrentBackward(Node node, Tensor g)
    {
        var args = (RecurrentArgs)node.O0!;
        Tensor x = node.Input(0)!, kernel = node.Input(1)!, recurrentKernel = node.Input(2)!;
        var bias = node.Input(3);
        args.DOutput = g;
        args.DX = x.RequiresGrad ? Tensor.Empty(x.Shape) : null;
        args.DKernel = kernel.RequiresGrad ? Tensor.Empty(kernel.Shape) : null;
        args.DRecurrentKernel = recurrentKernel.RequiresGrad ? Tensor.Empty(recurrentKernel.Shape) : null;
        args.DBias = bias is not null && bias.RequiresGrad ? Tensor.Empty(bias.Shape) : null;
        B.RecurrentBackward(args);
        node.SetGrad(0, args.DX);
        node.SetGrad(1, args.DKernel);
        node.SetGrad(2, args.DRecurrentKernel);
        if (bias is not null) node.SetGrad(3, args.DBias);
        ReturnArgs(args);
    }

    // A training step's recurrent ops take their argument objects from a small per-thread free list and give them back
    // after their backward pass, so a step allocates none (one whose backward never runs just leaves it to the GC).
    [ThreadStatic] private static Stack<RecurrentArgs>? t_freeArgs;

    private static RecurrentArgs RentArgs(RecurrentCell cell, int units, Tensor x, Tensor kernel, Tensor recurrentKernel, Tensor output)
    {
        if (t_freeArgs is { Count: > 0 } free)
        {
            var a = free.Pop();
            (a.Cell, a.Units, a.X, a.Kernel, a.RecurrentKernel, a.Output) = (cell, units, x, kernel, recurrentKernel, output);
            return a;
        }
        return new RecurrentArgs { Cell = cell, Units = units, X = x, Kernel = kernel, RecurrentKernel = recurrentKernel, Output = output };
    }

    private static void ReturnArgs(RecurrentArgs a)
    {
        (a.Bias, a.H0, a.C0, a.Mask, a.RecurrentMask, a.ProjectedTable, a.TokenIds) = (null, null, null, null, null, null, null);
        (a.Gates, a.HPrev, a.Extra, a.DOutput, a.DX, a.DKernel, a.DRecurrentKernel, a.DBias) = (null, null, null, null, null, null, null, null);
        (a.X, a.Kernel, a.RecurrentKernel, a.Output) = (null!, null!, null!, null!);
        (a.GoBackwards, a.ForwardOnly, a.LastOnly, a.WantCell) = (false, false, false, false);
        var free = t_freeArgs ??= new Stack<RecurrentArgs>();
        if (free.Count < 8) free.Push(a);
    }
}
