namespace Dendrite.Tests.TestKit;

/// <summary>
/// Tests whose outcome depends on the global random sequence after <c>Random.SetSeed</c> (an end-to-end training
/// that must reach a stated accuracy): they run alone, after the parallel tests, so that no other test draws from
/// or reseeds the shared generator in between.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalSeedCollection
{
    public const string Name = "Global seed";
}
