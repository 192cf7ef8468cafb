using System.Reflection;
using Dendrite.Data;

namespace Dendrite.Tests.Api;

/// <summary>
/// <c>using Dendrite;</c> (and the other Dendrite namespaces) next to .NET's implicit usings must not make a common name
/// ambiguous: a public Dendrite type named like a type in System, System.IO, System.Linq, ... breaks ordinary code.
/// </summary>
[Collection(TestKit.GlobalSeedCollection.Name)]
public class NameCollisionTests
{
    private static readonly string[] ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    [Fact]
    public void System_Random_is_usable_next_to_Dendrite()
    {
        // This file is inside namespace Dendrite.Tests, so a type Dendrite.Random would win over System.Random here
        // and this line would not compile.
        var r = new Random(0);
        Assert.IsType<System.Random>(r);
        Assert.Null(typeof(Tensor).Assembly.GetType("Dendrite.Random"));
    }

    [Fact]
    public void No_public_Dendrite_type_shares_a_name_with_a_type_of_the_implicit_usings()
    {
        var systemNames = new[] { typeof(object).Assembly, typeof(Enumerable).Assembly, typeof(File).Assembly, typeof(HttpClient).Assembly, typeof(List<>).Assembly }
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => ImplicitUsings.Contains(t.Namespace))
            .Select(t => t.Name)
            .ToHashSet();
        var clashes = typeof(Tensor).Assembly.GetExportedTypes()
            .Where(t => !t.IsNested && systemNames.Contains(t.Name))
            .Select(t => t.FullName)
            .ToList();
        Assert.Empty(clashes);
    }

    [Fact]
    public void SetRandomSeed_makes_unseeded_draws_repeat()
    {
        Utils.SetRandomSeed(42);
        var a = Tensor.RandomNormal([5]).ToArray();
        Utils.SetRandomSeed(42);
        var b = Tensor.RandomNormal([5]).ToArray();
        RandomState.SetSeed(42);
        var c = Tensor.RandomNormal([5]).ToArray();
        Utils.SetRandomSeed(43);
        var d = Tensor.RandomNormal([5]).ToArray();
        Assert.Equal(a, b);
        Assert.Equal(a, c);
        Assert.NotEqual(a, d);
    }
}
