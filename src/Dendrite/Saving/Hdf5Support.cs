namespace Dendrite.Saving;

/// <summary>Where model saving finds its HDF5 reader and writer (set by <c>Dendrite.Saving.Hdf5.Hdf5Saving.Enable()</c>).</summary>
public static class Hdf5Support
{
    /// <summary>The codec in use, or null when none was registered.</summary>
    public static IHdf5Codec? Codec { get; set; }

    internal static IHdf5Codec Require(string path) => Codec ?? throw new InvalidOperationException(
        $"Cannot read or write '{path}': Keras model and weights files are HDF5, and HDF5 support is in the package Dendrite.Saving.Hdf5. " +
        "Reference it and call Dendrite.Saving.Hdf5.Hdf5Saving.Enable() once at startup.");
}
