using System.Text.RegularExpressions;

namespace Dendrite.Saving;

/// <summary>Keras's <c>naming.to_snake_case</c>, which names the groups of a weights file (Dense -> dense, LeakyReLU -> leaky_re_lu).</summary>
internal static partial class KerasNaming
{
    public static string ToSnakeCase(string name)
    {
        var s = FirstPass().Replace(name, "$1_$2");
        return SecondPass().Replace(s, "$1_$2").ToLowerInvariant();
    }

    /// <summary>Keys for a list of objects as Keras's containers give them: snake_case class, then _1, _2 for repeats.</summary>
    public static List<string> ContainerKeys(IEnumerable<string> classNames)
    {
        var used = new Dictionary<string, int>();
        var keys = new List<string>();
        foreach (var cls in classNames)
        {
            string name = ToSnakeCase(cls);
            if (used.TryGetValue(name, out int n)) { used[name] = ++n; keys.Add($"{name}_{n}"); }
            else { used[name] = 0; keys.Add(name); }
        }
        return keys;
    }

    [GeneratedRegex("(.)([A-Z][a-z]+)")]
    private static partial Regex FirstPass();

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex SecondPass();
}
