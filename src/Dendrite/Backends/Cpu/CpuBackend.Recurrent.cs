using Dendrite.Backends.Cpu.Kernels;
using Dendrite.Backends.Cpu.Recurrent;

namespace Dendrite.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void RecurrentForward(RecurrentArgs args) => RecurrentKernels.Forward(args, Lanes);

    public void RecurrentBackward(RecurrentArgs args) => RecurrentKernels.Backward(args, Lanes);

    public void EmbeddingLookup(Tensor table, Tensor ids, Tensor y)
    {
        int d = table.Shape[1];
        var idv = ids.AsSpan();
        for (int i = 0; i < idv.Length; i++) table.Data.AsSpan((int)idv[i] * d, d).CopyTo(y.Data.AsSpan(i * d, d));
    }

    public void EmbeddingGrad(Tensor dy, Tensor ids, Tensor dTable)
    {
        int d = dTable.Shape[1];
        var idv = ids.AsSpan();
        for (int i = 0; i < idv.Length; i++)
        {
            var dst = dTable.Data.AsSpan((int)idv[i] * d, d);
            SpanMath.Add(dst, dy.Data.AsSpan(i * d, d), dst);
        }
    }
}
