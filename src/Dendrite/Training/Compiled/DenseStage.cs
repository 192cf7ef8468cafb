using Dendrite.Backends;
using Dendrite.Layers;

namespace Dendrite.Training.Compiled;

/// <summary>
/// Dense: y = act(x · kernel + bias), the GEMM then bias and activation in one pass. The backward writes the kernel's
/// and bias's gradients straight into their gradient buffers (X^T·dZ and the column sums of dZ) and dX = dZ·W^T.
/// With <paramref name="activationInLoss"/> a final softmax or sigmoid is left to the fused cross-entropy while training.
/// </summary>
internal sealed class DenseStage(Dense layer, int inputWidth, bool activationInLoss) : Stage
{
    private readonly UnaryOp? _op = layer.Activation.Elementwise;
    private readonly float _alpha = layer.Activation.Alpha;
    private readonly bool _softmax = layer.Activation.IsSoftmax;
    private readonly LaneBuffers _z = new(layer.Units), _y = new(layer.Units);
    private readonly StepBuffer _dx = new(inputWidth), _dz = new(layer.Units);
    private bool _kernelGrad, _biasGrad;
    private Tensor[] _gradientWeights = [];

    /// <inheritdoc/>
    public override Tensor[] GradientWeights => _gradientWeights;
    private PackedMatrix? _packed;

    public override int Width => layer.Units;

    public override void Prepare(IReadOnlyCollection<Tensor> trainable)
    {
        _kernelGrad = Contains(trainable, layer.Kernel);
        _biasGrad = layer.Bias is { } b && Contains(trainable, b);
        if (_kernelGrad) EnsureGrad(layer.Kernel);
        if (_biasGrad) EnsureGrad(layer.Bias!);
        _gradientWeights = (_kernelGrad, _biasGrad) switch
        {
            (true, true) => [layer.Kernel, layer.Bias!], (true, false) => [layer.Kernel], (false, true) => [layer.Bias!], _ => [],
        };
    }

    /// <summary>Packs the kernel for a prediction over <paramref name="totalRows"/> rows (when it is long enough to pay).</summary>
    public override void BeginPredict(int totalRows)
    {
        EndPredict();
        if (totalRows >= 32) _packed = Ops.Direct.Pack(layer.Kernel);
    }

    /// <summary>Releases the packed kernel.</summary>
    public override void EndPredict()
    {
        _packed?.Dispose();
        _packed = null;
    }

    /// <summary>True when prediction reads its input rows in place (from any row of the caller's tensor).</summary>
    public bool ReadsRowsInPlace => _packed is not null;

    public override long MacsPerRow => (long)inputWidth * layer.Units;

    public override void EnsureLanes(int lanes)
    {
        _y.Ensure(lanes);
        _z.Ensure(lanes);
    }

    public override Tensor Forward(Tensor x, int rows)
    {
        var y = _y[0].View(rows);
        var bias = layer.Bias;
        if (activationInLoss || _softmax)
        {
            var z = activationInLoss ? y : _z[0].View(rows);
            Ops.Direct.MatMul(x, false, layer.Kernel, false, z);
            if (bias is not null) Ops.Direct.BiasActivation(z, bias, null, 0f, null, z);
            if (!activationInLoss) Ops.Direct.Softmax(z, y);
            return y;
        }
        // The activation's gradient needs the pre-activation.
        var pre = _op is not null ? _z[0].View(rows) : y;
        Ops.Direct.MatMul(x, false, layer.Kernel, false, pre);
        if (bias is not null || _op is not null) Ops.Direct.BiasActivation(pre, bias, _op, _alpha, pre == y ? null : pre, y);
        return y;
    }

    public override Tensor Predict(Tensor x, int rows, int lane) => Predict(x, 0, rows, lane);

    /// <summary>
    /// The prediction for rows [firstRow, firstRow + rows) of x (firstRow > 0 only when <see cref="ReadsRowsInPlace"/>),
    /// in lane <paramref name="lane"/>'s buffers; bias and activation work in place.
    /// </summary>
    public Tensor Predict(Tensor x, int firstRow, int rows, int lane)
    {
        var bias = layer.Bias;
        var z = _softmax ? _z[lane].View(rows) : _y[lane].View(rows);
        if (_packed is not null) Ops.Direct.MatMulPacked(x, firstRow, _packed, z);
        else Ops.Direct.MatMul(x, false, layer.Kernel, false, z);
        if (bias is not null || _op is not null) Ops.Direct.BiasActivation(z, bias, _op, _alpha, null, z);
        if (!_softmax) return z;
        var y = _y[lane].View(rows);
        Ops.Direct.Softmax(z, y);
        return y;
    }

    public override Tensor? Backward(Tensor x, Tensor y, Tensor dy, int rows, bool needInputGrad)
    {
        var dz = dy;
        if (_softmax && !activationInLoss)
        {
            dz = _dz.View(rows);
            Ops.Direct.SoftmaxGrad(y, dy, dz);
        }
        else if (_op is UnaryOp op && !activationInLoss) Ops.Direct.UnaryGrad(op, _z[0].View(rows), y, dy, dy, _alpha);
        if (_kernelGrad)
        {
            Ops.Direct.MatMul(x, true, dz, false, layer.Kernel.Grad!);
            layer.Kernel.GradIsStale = false;
        }
        if (_biasGrad)
        {
            Ops.Direct.SumRows(dz, layer.Bias!.Grad!);
            layer.Bias.GradIsStale = false;
        }
        if (!needInputGrad) return null;
        var dx = _dx.View(rows);
        Ops.Direct.MatMul(dz, false, layer.Kernel, true, dx);
        return dx;
    }

    private static void EnsureGrad(Tensor weight)
    {
        if (weight.Grad is null || weight.Grad.Shape != weight.Shape) weight.Grad = Tensor.Persistent(weight.Shape);
    }

    private static bool Contains(IReadOnlyCollection<Tensor> list, Tensor t)
    {
        foreach (var w in list) if (ReferenceEquals(w, t)) return true;
        return false;
    }
}
