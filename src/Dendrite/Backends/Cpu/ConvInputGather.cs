namespace Dendrite.Backends.Cpu;

/// <summary>
/// The input gradient of a stride-1 convolution as a forward convolution: dx = dy correlated with the kernel flipped in
/// both spatial axes and transposed (filters become channels), with the padding mirrored (kh - 1 - padTop). Each dx pixel
/// is then gathered by the forward kernels (<see cref="ConvDirect"/>, <see cref="ConvChunked"/>) instead of a GEMM into a
/// 16 MB column buffer and a scatter-add (col2im). The rearranged kernel (kh kw c f floats) is made per call in a
/// per-thread buffer. Overwrites dx (beta = 0 only); groups 1, no dilation, padding below the kernel's size.
/// </summary>
internal static unsafe class ConvInputGather
{
    [ThreadStatic] private static AlignedBuffer? _kernel;
    [ThreadStatic] private static bool _disabled;

    /// <summary>Off on this thread: input gradients take the col2im path (a switch for tests and measurements).</summary>
    internal static bool Enabled { get => !_disabled; set => _disabled = !value; }

    /// <summary>Whether the input gradient of <paramref name="s"/> takes this path (or, strided, <see cref="ConvInputPhases"/>).</summary>
    public static bool Applies(in ConvSpec s) => StrideOne(s) || ConvInputPhases.Applies(s);

    private static bool StrideOne(in ConvSpec s) =>
        Enabled && s.Groups == 1 && s.StrideH == 1 && s.StrideW == 1 && s.DilationH == 1 && s.DilationW == 1
        && s.PadTop >= 0 && s.PadLeft >= 0 && s.PadTop < s.KH && s.PadLeft < s.KW && s.KH * s.KW > 1
        && (ConvWinograd.Applies(Transposed(s)) || ConvDirect.AppliesForward(Transposed(s)) || ConvChunked.Applies(Transposed(s)));

    /// <summary>dx = the input gradient of <paramref name="s"/> for output gradient dy (overwritten, not accumulated).</summary>
    public static void InputGrad(float* dy, float* k, float* dx, in ConvSpec s)
    {
        if (!StrideOne(s))
        {
            ConvInputPhases.InputGrad(dy, k, dx, s);
            return;
        }
        float* flipped = (_kernel ??= new AlignedBuffer()).Get(s.KernelSize);
        Flip(k, flipped, s);
        Conv.Forward(dy, flipped, dx, Transposed(s));
    }

    /// <summary>The forward convolution that computes s's input gradient: dy's pixels are its input, dx's its output.</summary>
    internal static ConvSpec Transposed(in ConvSpec s) =>
        new(s.N, s.OH, s.OW, s.F, s.H, s.W, s.C, s.KH, s.KW, 1, 1, 1, 1, s.KH - 1 - s.PadTop, s.KW - 1 - s.PadLeft, 1);

    /// <summary>to[u][v][f][c] = k[kh - 1 - u][kw - 1 - v][c][f].</summary>
    private static void Flip(float* k, float* to, in ConvSpec s)
    {
        int c = s.C, f = s.F, block = c * f;
        for (int a = 0; a < s.KH; a++)
        for (int b = 0; b < s.KW; b++)
        {
            float* src = k + (long)(a * s.KW + b) * block;
            float* dst = to + (long)((s.KH - 1 - a) * s.KW + (s.KW - 1 - b)) * block;
            for (int ci = 0; ci < c; ci++)
            for (int fi = 0; fi < f; fi++)
                dst[fi * c + ci] = src[ci * f + fi];
        }
    }
}
