namespace Dendrite.Callbacks;

/// <summary>
/// What a callback knows of the run: epochs, steps per epoch, verbosity, and in data-parallel training this process's
/// rank and the number of ranks (0 and 1 otherwise).
/// </summary>
public sealed record TrainingParameters(int Epochs, int Steps, int Verbose, int Rank = 0, int Ranks = 1);
