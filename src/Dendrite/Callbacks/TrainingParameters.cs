namespace Dendrite.Callbacks;

/// <summary>What a callback knows of the run: epochs, steps per epoch, verbosity.</summary>
public sealed record TrainingParameters(int Epochs, int Steps, int Verbose);
