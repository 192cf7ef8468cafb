using System.Text.Json.Nodes;
using Dendrite.Backends;
using Dendrite.Initializers;
using Dendrite.Regularizers;

namespace Dendrite.Layers;

/// <summary>
/// Gated recurrent unit (Keras GRU): gates z, r, h along the kernel's 3 x units columns; h = z h_prev + (1 - z) hh.
/// With <c>resetAfter</c> (the default) the reset gate multiplies the recurrent product and the bias is (2, 3 x units)
/// (input bias, recurrent bias); without it the reset gate multiplies h before its product and the bias is (3 x units).
/// </summary>
public sealed class GRU : RecurrentLayer
{
    /// <summary>Creates the layer with Keras 3's defaults.</summary>
    public GRU(int units, ActivationFunction? activation = null, ActivationFunction? recurrentActivation = null, bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? recurrentInitializer = null, Initializer? biasInitializer = null,
        Regularizer? kernelRegularizer = null, Regularizer? recurrentRegularizer = null, Regularizer? biasRegularizer = null,
        Regularizer? activityRegularizer = null, double dropout = 0, double recurrentDropout = 0, bool returnSequences = false,
        bool returnState = false, bool goBackwards = false, bool stateful = false, bool resetAfter = true, int? seed = null,
        int[]? inputShape = null, string? name = null)
        : base(units, activation, useBias, kernelInitializer, recurrentInitializer, biasInitializer, kernelRegularizer, recurrentRegularizer,
            biasRegularizer, activityRegularizer, dropout, recurrentDropout, returnSequences, returnState, goBackwards, stateful, seed, inputShape, name)
    {
        RecurrentActivation = recurrentActivation ?? Activations.Sigmoid;
        GateKind = KindOf(RecurrentActivation, nameof(recurrentActivation));
        ResetAfter = resetAfter;
    }

    /// <inheritdoc/>
    public override string ClassName => "GRU";
    /// <summary>The gates' activation (sigmoid).</summary>
    public ActivationFunction RecurrentActivation { get; }
    /// <summary>Apply the reset gate after the recurrent product (Keras 3 and cuDNN's convention).</summary>
    public bool ResetAfter { get; }

    private protected override RecurrentCell Cell => ResetAfter ? RecurrentCell.GruResetAfter : RecurrentCell.GruResetBefore;
    private protected override string CellName => "gru_cell";
    private protected override int Gates => 3;
    private protected override RecurrentActivation GateKind { get; }
    private protected override Shape BiasShape => ResetAfter ? new Shape([2, 3 * Units]) : new Shape([3 * Units]);

    /// <inheritdoc/>
    public override JsonObject GetConfig()
    {
        var c = base.GetConfig();
        c["recurrent_activation"] = RecurrentActivation.Name;
        c["reset_after"] = ResetAfter;
        return c;
    }

    /// <summary>Recreates the layer from <see cref="GetConfig"/>'s output.</summary>
    public static GRU FromConfig(JsonObject c)
    {
        var k = Common.From(c, "GRU");
        return new(k.Units, k.Activation, Activations.Get((string?)c["recurrent_activation"] ?? "sigmoid"), k.UseBias, k.KernelInitializer,
            k.RecurrentInitializer, k.BiasInitializer, k.KernelRegularizer, k.RecurrentRegularizer, k.BiasRegularizer, k.ActivityRegularizer,
            k.Dropout, k.RecurrentDropout, k.ReturnSequences, k.ReturnState, k.GoBackwards, k.Stateful, (bool?)c["reset_after"] ?? true,
            k.Seed, name: k.Name);
    }
}
