using Dendrite;
using Dendrite.Backends.Cpu;
using Dendrite.Layers;
using Dendrite.Models;
using Dendrite.Optimizers;

/// <summary>
/// "--apart": in a fresh process (as a training program is), trains a W2-shaped model for one epoch with Adam and prints
/// how far apart, modulo 4 KB, its first kernel's gradient and slots start from the kernel and from each other:
/// "apart G M V" (bytes; <see cref="ApartArrays"/>).
/// </summary>
internal static class ApartChild
{
    public static int Run()
    {
        RandomState.SetSeed(5);
        var x = Tensor.RandomUniform([256, 784], seed: 6);
        var labels = new int[256];
        for (int i = 0; i < labels.Length; i++) labels[i] = i % 10;
        var model = new Sequential([new Input(shape: [784]), new Dense(256, activation: "relu"), new Dense(10, activation: "softmax")]);
        model.Compile(optimizer: new Adam(), loss: "categorical_crossentropy");
        model.Fit(x, Ops.OneHot(labels, 10), batchSize: 64, epochs: 1, verbose: 0);
        var kernel = model.TrainableWeights[0];
        var slots = model.Optimizer!.SlotsOf(kernel);
        float[] w = kernel.Data, g = kernel.Grad!.Data, m = slots[0], v = slots[1];
        Console.Out.WriteLine($"apart {ApartArrays.Closest(g, [w])} {ApartArrays.Closest(m, [w, g])} {ApartArrays.Closest(v, [w, g, m])}");
        return 0;
    }
}
