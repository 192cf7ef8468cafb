namespace Dendrite.Callbacks;

/// <summary>
/// What a callback knows of the run: epochs, steps per epoch, verbosity, and in data-parallel training this process's
/// rank and the number of ranks (0 and 1 otherwise). <see cref="Steps"/> is 0 when the number of steps per epoch is
/// not known in advance (Fit over a batch source of unknown length without stepsPerEpoch: Keras's <c>steps=None</c>).
/// </summary>
public sealed record TrainingParameters(int Epochs, int Steps, int Verbose, int Rank = 0, int Ranks = 1);
