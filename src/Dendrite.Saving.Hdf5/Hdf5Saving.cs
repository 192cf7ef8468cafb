using Dendrite.Saving;

namespace Dendrite.Saving.Hdf5;

/// <summary>Turns on Keras model files (.keras, .weights.h5, legacy .h5) for Dendrite: <c>Hdf5Saving.Enable();</c> once at startup.</summary>
public static class Hdf5Saving
{
    /// <summary>Registers <see cref="PureHdfCodec"/> (Dendrite's own HDF5 reader, PureHDF's writer) with <see cref="Hdf5Support"/>.</summary>
    public static void Enable() => Hdf5Support.Codec ??= new PureHdfCodec();
}
