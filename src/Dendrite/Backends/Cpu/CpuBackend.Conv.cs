namespace Dendrite.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public unsafe void Conv2D(Tensor x, Tensor kernel, Tensor y, ConvSpec spec)
    {
        CheckConv(spec, x, kernel, y);
        fixed (float* px = x.Data, pk = kernel.Data, py = y.Data) Conv.Forward(px, pk, py, spec);
    }

    public unsafe void Conv2DBiasActivation(Tensor x, Tensor kernel, Tensor? bias, UnaryOp? op, float alpha, Tensor y, ConvSpec spec)
    {
        CheckConv(spec, x, kernel, y);
        if (bias is not null && bias.Size != spec.F)
            throw new ArgumentException($"Convolution: a bias of {bias.Size} values for {spec.F} filters.");
        EpilogueActivation? act = op switch
        {
            null => EpilogueActivation.None,
            UnaryOp.Relu => EpilogueActivation.Relu,
            UnaryOp.LeakyRelu => EpilogueActivation.LeakyRelu,
            _ => null,
        };
        // Winograd's output transform and the direct kernel apply the bias and activation before their stores; other
        // paths take a separate pass.
        bool winograd = ConvWinograd.Applies(spec);
        if (act is { } a && ConvDirect.Epilogues && (winograd || ConvDirect.AppliesForward(spec)))
        {
            fixed (float* px = x.Data, pk = kernel.Data, py = y.Data, pb = bias?.Data)
            {
                var e = new Epilogue(pb, a, alpha);
                if (winograd) ConvWinograd.Forward(px, pk, py, spec, e);
                else ConvDirect.Forward(px, pk, py, spec, e);
            }
            return;
        }
        Conv2D(x, kernel, y, spec);
        if (bias is not null || op is not null) BiasActivation(y, bias, op, alpha, null, y);
    }

    public unsafe void Conv2DInputGrad(Tensor dy, Tensor kernel, Tensor dx, ConvSpec spec, float beta)
    {
        CheckConv(spec, dx, kernel, dy);
        fixed (float* pdy = dy.Data, pk = kernel.Data, pdx = dx.Data) Conv.InputGrad(pdy, pk, pdx, spec, beta);
    }

    public unsafe void Conv2DKernelGrad(Tensor x, Tensor dy, Tensor dkernel, ConvSpec spec, float beta)
    {
        CheckConv(spec, x, dkernel, dy);
        fixed (float* px = x.Data, pdy = dy.Data, pk = dkernel.Data) Conv.KernelGrad(px, pdy, pk, spec, beta);
    }

    private static void CheckConv(ConvSpec s, Tensor x, Tensor kernel, Tensor y)
    {
        if (s.Groups < 1 || s.C % s.Groups != 0 || s.F % s.Groups != 0)
            throw new ArgumentException($"Convolution: {s.Groups} groups must divide the input channels ({s.C}) and the filters ({s.F}).");
        if (x.Size != s.InputSize || kernel.Size != s.KernelSize || y.Size != s.OutputSize)
            throw new ArgumentException(
                $"Convolution: tensors of {x.Size}, {kernel.Size} and {y.Size} elements do not fit {s} " +
                $"(input {s.InputSize}, kernel {s.KernelSize}, output {s.OutputSize}).");
    }
}
