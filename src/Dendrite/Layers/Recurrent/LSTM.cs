using System.Text.Json.Nodes;
using Dendrite.Backends;
using Dendrite.Initializers;
using Dendrite.Regularizers;

namespace Dendrite.Layers;

/// <summary>
/// Long short-term memory (Keras LSTM): gates i, f, c, o along the kernel's 4 x units columns;
/// c = f c + i tanh(z_c), h = o tanh(c). States [h, c].
/// <c>new LSTM(units: 64, returnSequences: true)</c>
/// </summary>
public sealed class LSTM : RecurrentLayer
{
    /// <summary>Creates the layer with Keras 3's defaults.</summary>
    public LSTM(int units, ActivationFunction? activation = null, ActivationFunction? recurrentActivation = null, bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? recurrentInitializer = null, Initializer? biasInitializer = null,
        bool unitForgetBias = true, Regularizer? kernelRegularizer = null, Regularizer? recurrentRegularizer = null,
        Regularizer? biasRegularizer = null, Regularizer? activityRegularizer = null, double dropout = 0, double recurrentDropout = 0,
        bool returnSequences = false, bool returnState = false, bool goBackwards = false, bool stateful = false, int? seed = null,
        int[]? inputShape = null, string? name = null)
        : base(units, activation, useBias, kernelInitializer, recurrentInitializer, biasInitializer, kernelRegularizer, recurrentRegularizer,
            biasRegularizer, activityRegularizer, dropout, recurrentDropout, returnSequences, returnState, goBackwards, stateful, seed, inputShape, name)
    {
        RecurrentActivation = recurrentActivation ?? Activations.Sigmoid;
        GateKind = KindOf(RecurrentActivation, nameof(recurrentActivation));
        UnitForgetBias = unitForgetBias;
    }

    /// <inheritdoc/>
    public override string ClassName => "LSTM";
    /// <summary>The gates' activation (sigmoid).</summary>
    public ActivationFunction RecurrentActivation { get; }
    /// <summary>Initialise the forget gate's bias to 1.</summary>
    public bool UnitForgetBias { get; }

    private protected override RecurrentCell Cell => RecurrentCell.Lstm;
    private protected override string CellName => "lstm_cell";
    private protected override int Gates => 4;
    private protected override int StateCount => 2;
    private protected override RecurrentActivation GateKind { get; }

    private protected override void InitializeBias(Tensor bias)
    {
        if (UnitForgetBias) bias.AsSpan().Slice(Units, Units).Fill(1f);
    }

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["recurrent_activation"] = RecurrentActivation.Name;
        c["unit_forget_bias"] = UnitForgetBias;
        return c;
    }

    /// <summary>Recreates the layer from <see cref="GetConfig"/>'s output.</summary>
    public static LSTM FromConfig(JsonObject c)
    {
        var k = Common.From(c, "LSTM");
        return new(k.Units, k.Activation, Activations.Get((string?)c["recurrent_activation"] ?? "sigmoid"), k.UseBias, k.KernelInitializer,
            k.RecurrentInitializer, k.BiasInitializer, (bool?)c["unit_forget_bias"] ?? true, k.KernelRegularizer, k.RecurrentRegularizer,
            k.BiasRegularizer, k.ActivityRegularizer, k.Dropout, k.RecurrentDropout, k.ReturnSequences, k.ReturnState, k.GoBackwards,
            k.Stateful, k.Seed, name: k.Name);
    }
}
