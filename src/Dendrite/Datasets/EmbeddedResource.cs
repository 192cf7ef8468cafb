namespace Dendrite.Datasets;

/// <summary>Data files compiled into the library (see tools/make_embedded_data.py).</summary>
internal static class EmbeddedResource
{
    public static Stream Open(string name) =>
        typeof(EmbeddedResource).Assembly.GetManifestResourceStream("Dendrite.Datasets.Resources." + name)
        ?? throw new FileNotFoundException($"The embedded data file '{name}' is missing from the Dendrite assembly.");
}
