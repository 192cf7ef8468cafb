using Dendrite.Autodiff;
using Dendrite.Layers;

namespace Dendrite.Models;

public partial class Model
{
    private readonly StepRows _stepX = new(), _stepY = new();
    private readonly BatchAhead _batchAhead = new();
    private StepState? _stepState;

    /// <summary>What every training step of one Fit (or TrainOnBatch) needs and would otherwise recompute: the
    /// trainable weights and whether any layer has weight penalties. Taken at the first step after
    /// <see cref="ResetStepState"/>; as in Keras, a change of <see cref="Layer.Trainable"/> counts from the next Fit.</summary>
    private sealed record StepState(IReadOnlyList<Tensor> Trainable, bool Regularized);

    private StepState StepStateFor()
    {
        if (_stepState is { } s) return s;
        // Asked of the penalties themselves, so that any layer's override (sub-layers, wrappers) counts; in the training
        // step's own form (a layer that overrides one form overrides both), whose loops cost no iterator's first call.
        var penalties = _stepPenalties;
        penalties.Clear();
        using (GradMode.NoGrad()) AddRegularizationLosses(penalties);
        bool regularized = penalties.Count > 0;
        penalties.Clear();
        return _stepState = new StepState(TrainableWeights, regularized);
    }

    /// <summary>Forgets the step state (at the start of each Fit and TrainOnBatch).</summary>
    private void ResetStepState() => _stepState = null;
}
