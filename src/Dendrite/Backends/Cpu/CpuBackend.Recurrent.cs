using Dendrite.Backends.Cpu.Recurrent;

namespace Dendrite.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void RecurrentForward(RecurrentArgs args) => RecurrentKernels.Forward(args, Lanes);

    public void RecurrentBackward(RecurrentArgs args) => RecurrentKernels.Backward(args, Lanes);
}
