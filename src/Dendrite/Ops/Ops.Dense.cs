using Dendrite.Autodiff;
using Dendrite.Backends;

namespace Dendrite;

public static partial class Ops
{
    /// <summary>
    /// A dense layer's computation as one op: activation(x · kernel + bias) for x of shape (..., k), kernel (k, n) and
    /// bias (n) or null. The GEMM is followed by one pass for bias and an elementwise activation (the fused epilogue);
    /// softmax runs after it as <see cref="Softmax"/> (so a following cross-entropy fuses with it), and any other
    /// activation is applied as its own function. The backward pass applies the activation's gradient once and writes
    /// the kernel's and the bias's gradients straight into their gradient buffers. When nothing is recorded (inference)
    /// and the layer passes its <paramref name="packedKernel"/> cache, the product reads the kernel's packed panels
    /// (packed once per version of the kernel) instead of the kernel itself.
    /// </summary>
    internal static Tensor Dense(Tensor x, Tensor kernel, Tensor? bias = null, ActivationFunction? activation = null, PackedWeight? packedKernel = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(kernel);
        if (x.Rank < 1 || kernel.Rank != 2 || x.Shape[^1] != kernel.Shape[0])
            throw new ArgumentException($"Dense: input of shape {x.Shape} does not fit a kernel of shape {kernel.Shape}; the input's last axis must equal the kernel's first.");
        int k = kernel.Shape[0], n = kernel.Shape[1];
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != n))
            throw new ArgumentException($"Dense: a bias of shape {bias.Shape} does not fit a kernel of shape {kernel.Shape}; expected shape ({n}).");
        var fn = activation ?? Activations.Linear;
        bool record = GradMode.IsEnabled && (x.RequiresGrad || kernel.RequiresGrad || (bias?.RequiresGrad ?? false));
        // An inference input whose rows were left where they are: read in place by the product, else copied here first.
        var source = x.SourceRows;
        if (source is not null && (record || UnfusedDense || x.Rank != 2 || source.Source is null))
        {
            RowSource.Materialize(x);
            source = null;
        }
        if (UnfusedDense)
        {
            var product = MatMul(x, kernel);
            return fn.Invoke(bias is null ? product : Add(product, bias));
        }
        UnaryOp? op = fn.IsLinear || fn.IsSoftmax ? null : fn.Elementwise;
        if (!fn.IsLinear && !fn.IsSoftmax && op is null) return fn.Invoke(Dense(x, kernel, bias, null, packedKernel));
        if (x.Rank < 2) return Reshape(Dense(Reshape(x, [1, k]), kernel, bias, activation, packedKernel), [n]);
        int rows = RowCount(x.Shape);
        var outShape = x.Shape.With(-1, n);
        var y = Tensor.Empty(outShape);
        // The activation's gradient needs the pre-activation z = x · kernel + bias (kept only when recording).
        var z = op is not null && record ? Tensor.Empty(outShape) : y;
        var packed = !record && x.Rank == 2 ? packedKernel?.Get(kernel) : null;
        if (packed is not null)
        {
            if (source is null) B.MatMulPacked(x, 0, packed, z);
            else B.MatMulPacked(source.Source!, source.Row, packed, z);
        }
        else
        {
            RowSource.Materialize(x);
            B.GemmBatched(false, false, rows, n, k, 1f, x, 0, kernel, 0, 0f, z, 0, 1);
        }
        if (bias is not null || op is not null) B.BiasActivation(z, bias, op, fn.Alpha, ReferenceEquals(z, y) ? null : z, y);
        if (record && Tape.Record(y, "dense", DenseBackward, x, kernel, bias) is { } node)
        {
            node.T0 = z;
            node.I0 = op is UnaryOp u ? (int)u : -1;
            node.F0 = fn.Alpha;
            node.I1 = rows; node.I2 = k; node.I3 = n;
        }
        if (fn.IsSoftmax) return Softmax(y);
        return y;
    }

    /// <summary>Dense's backward (state in the node: T0 the pre-activation, I0 the activation or -1, F0 its alpha, I1..I3
    /// rows, k, n).</summary>
    private static void DenseBackward(Node node, Tensor g)
    {
        Tensor x = node.Input(0)!, kernel = node.Input(1)!, y = node.Output!, z = node.T0!;
        var bias = node.Input(2);
        int rows = node.I1, k = node.I2, n = node.I3;
        var dz = g;
        if (node.I0 >= 0)
        {
            dz = Tensor.Empty(y.Shape);
            B.UnaryGrad((UnaryOp)node.I0, z, y, g, dz, node.F0);
        }
        if (x.RequiresGrad) node.SetGrad(0, Gemm(dz, false, 0, kernel, true, 0, rows, k, n, 1, x.Shape));
        if (kernel.RequiresGrad)
        {
            if (kernel is { IsLeaf: true, FusedSgdRate: > 0f } && Autodiff.BackwardEngine.Readers(kernel) == 1)
            {
                // Plain SGD applied inside the kernel's gradient product, w = w - rate · x^T dz (after dx above, which
                // read the old w; this op is the kernel's only reader): no gradient buffer and no separate update pass.
                GemmInto(x, true, 0, dz, false, 0, k, n, rows, 1, kernel, 1f, -kernel.FusedSgdRate);
                kernel.FusedSgdRate = 0f;
                kernel.MarkWritten();
            }
            else if (GradientBuffer(kernel) is { } kg)
            {
                // Written straight into the gradient buffer: over a stale gradient, or added to a current one.
                GemmInto(x, true, 0, dz, false, 0, k, n, rows, 1, kg, kernel.GradIsStale ? 0f : 1f);
                kernel.GradIsStale = false;
            }
            else node.SetGrad(1, Gemm(x, true, 0, dz, false, 0, k, n, rows, 1, kernel.Shape));
        }
        if (bias is not null && bias.RequiresGrad)
        {
            if (StaleLeafGradient(bias) is { } bg)
            {
                B.SumRows(dz, bg);   // written straight into the gradient buffer
                bias.GradIsStale = false;
            }
            else
            {
                var db = Tensor.Empty(bias.Shape);
                B.SumRows(dz, db);
                node.SetGrad(2, db);
            }
        }
    }

    /// <summary>When true on this thread, <see cref="Dense"/> composes MatMul, Add and the activation instead of its
    /// fused kernel (tests compare the two).</summary>
    [ThreadStatic] internal static bool UnfusedDense;

    private static int RowCount(Shape s)
    {
        int r = 1;
        for (int i = 0; i < s.Rank - 1; i++) r *= s[i];
        return r;
    }
}
