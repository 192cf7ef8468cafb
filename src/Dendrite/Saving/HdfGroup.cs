namespace Dendrite.Saving;

/// <summary>
/// An HDF5 group held in memory: sub-groups, datasets and attributes, each by name (insertion order kept). Dendrite
/// builds Keras's weight files as such trees and hands them to an <see cref="IHdf5Codec"/> to write, and gets them back
/// from it when reading. Attribute values are <c>string</c>, <c>string[]</c>, <c>long</c> or <c>double[]</c>.
/// </summary>
public sealed class HdfGroup
{
    /// <summary>Sub-groups by name.</summary>
    public Dictionary<string, HdfGroup> Groups { get; } = [];

    /// <summary>Datasets by name.</summary>
    public Dictionary<string, HdfArray> Datasets { get; } = [];

    /// <summary>Attributes by name.</summary>
    public Dictionary<string, object> Attributes { get; } = [];

    /// <summary>The sub-group with this name, created when missing.</summary>
    public HdfGroup Group(string name)
    {
        if (!Groups.TryGetValue(name, out var g)) Groups[name] = g = new HdfGroup();
        return g;
    }

    /// <summary>The group at a '/'-separated path below this one, or null when a part is missing.</summary>
    public HdfGroup? Find(string path)
    {
        var g = this;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            if (!g.Groups.TryGetValue(part, out g)) return null;
        return g;
    }

    /// <summary>The dataset at a '/'-separated path below this group, or null.</summary>
    public HdfArray? FindDataset(string path)
    {
        if (path is null) return null;                                   // a damaged file's string attribute can hold nulls
        int cut = path.LastIndexOf('/');
        var g = cut < 0 ? this : Find(path[..cut]);
        return g is not null && g.Datasets.TryGetValue(path[(cut + 1)..], out var d) ? d : null;
    }

    /// <summary>A string-array attribute (a scalar string counts as one item; Keras's split names0, names1, ... are joined).</summary>
    public string[]? StringsAttribute(string name)
    {
        if (Attributes.TryGetValue(name, out var v)) return AsStrings(v);
        if (!Attributes.ContainsKey(name + "0")) return null;
        var all = new List<string>();
        for (int i = 0; Attributes.TryGetValue(name + i, out var part); i++) all.AddRange(AsStrings(part));
        return [.. all];
    }

    private static string[] AsStrings(object v) => v switch
    {
        string s => [s],
        string[] a => a,
        double[] { Length: 0 } => [],
        _ => throw new InvalidDataException($"attribute holds {v.GetType().Name}, not strings"),
    };
}
