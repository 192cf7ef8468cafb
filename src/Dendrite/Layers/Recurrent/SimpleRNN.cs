using System.Text.Json.Nodes;
using Dendrite.Backends;
using Dendrite.Initializers;
using Dendrite.Regularizers;

namespace Dendrite.Layers;

/// <summary>Fully connected recurrence (Keras SimpleRNN): h = activation(x W + h_prev U + b). <c>new SimpleRNN(units: 16)</c></summary>
public sealed class SimpleRNN : RecurrentLayer
{
    /// <summary>Creates the layer with Keras 3's defaults.</summary>
    public SimpleRNN(int units, ActivationFunction? activation = null, bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? recurrentInitializer = null, Initializer? biasInitializer = null,
        Regularizer? kernelRegularizer = null, Regularizer? recurrentRegularizer = null, Regularizer? biasRegularizer = null,
        Regularizer? activityRegularizer = null, double dropout = 0, double recurrentDropout = 0, bool returnSequences = false,
        bool returnState = false, bool goBackwards = false, bool stateful = false, int? seed = null, int[]? inputShape = null, string? name = null)
        : base(units, activation, useBias, kernelInitializer, recurrentInitializer, biasInitializer, kernelRegularizer, recurrentRegularizer,
            biasRegularizer, activityRegularizer, dropout, recurrentDropout, returnSequences, returnState, goBackwards, stateful, seed, inputShape, name)
    {
    }

    /// <inheritdoc/>
    public override string ClassName => "SimpleRNN";

    private protected override RecurrentCell Cell => RecurrentCell.SimpleRnn;
    private protected override string CellName => "simple_rnn_cell";
    private protected override int Gates => 1;

    /// <summary>Recreates the layer from <see cref="RecurrentLayer.GetConfig"/>'s output.</summary>
    public static SimpleRNN FromConfig(JsonObject c)
    {
        var k = Common.From(c, "SimpleRNN");
        return new(k.Units, k.Activation, k.UseBias, k.KernelInitializer, k.RecurrentInitializer, k.BiasInitializer, k.KernelRegularizer,
            k.RecurrentRegularizer, k.BiasRegularizer, k.ActivityRegularizer, k.Dropout, k.RecurrentDropout, k.ReturnSequences,
            k.ReturnState, k.GoBackwards, k.Stateful, k.Seed, name: k.Name);
    }
}
