namespace Dendrite.Tests.Data;

/// <summary>
/// One reader under fuzz: valid seed files, format tokens for the mutator, the read itself (given a path), and an
/// optional step that wraps the mutated bytes before they are written (zip them, gzip them, fix the checksum).
/// </summary>
internal sealed record FuzzTarget(string Name, byte[][] Seeds, byte[][] Tokens, Action<string> Read, Func<byte[], int, byte[]>? Post = null)
{
    public override string ToString() => Name;
}
