namespace Dendrite.Tests.TestKit;

/// <summary>
/// Test classes whose outcome depends on the global random sequence after <c>Utils.SetRandomSeed</c> (two runs from one
/// seed compared, an end-to-end training that must reach a stated accuracy): they run one at a time, after the
/// parallel tests, so that no other test draws from (every unseeded initializer and Fit's shuffle does) or reseeds the
/// shared generator in between.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalSeedCollection
{
    public const string Name = "Global seed";
}
