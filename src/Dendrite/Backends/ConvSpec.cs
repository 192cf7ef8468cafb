namespace Dendrite.Backends;

/// <summary>
/// The geometry of one 2-D convolution, channels-last: input (n, h, w, c), kernel (kh, kw, c / groups, f) as Keras lays
/// it out, output (n, oh, ow, f). Output pixel (i, j) reads input (i * strideH + a * dilationH - padTop,
/// j * strideW + b * dilationW - padLeft) for kernel tap (a, b); positions outside the input read zeros. A 1-D
/// convolution is the case h = kh = 1.
/// </summary>
public readonly record struct ConvSpec(
    int N, int H, int W, int C, int OH, int OW, int F, int KH, int KW,
    int StrideH, int StrideW, int DilationH, int DilationW, int PadTop, int PadLeft, int Groups)
{
    /// <summary>Input channels per group.</summary>
    public int GroupChannels => C / Groups;

    /// <summary>Output channels per group.</summary>
    public int GroupFilters => F / Groups;

    /// <summary>Input elements: n * h * w * c.</summary>
    public long InputSize => (long)N * H * W * C;

    /// <summary>Output elements: n * oh * ow * f.</summary>
    public long OutputSize => (long)N * OH * OW * F;

    /// <summary>Kernel elements: kh * kw * (c / groups) * f.</summary>
    public long KernelSize => (long)KH * KW * GroupChannels * F;
}
