namespace Dendrite.Saving;

/// <summary>
/// Reads and writes HDF5 files as <see cref="HdfGroup"/> trees. The core has no HDF5 code of its own (the managed
/// HDF5 library is not trimming-safe); the package Dendrite.Saving.Hdf5 provides one: call
/// <c>Dendrite.Saving.Hdf5.Hdf5Saving.Enable()</c> once at startup.
/// </summary>
public interface IHdf5Codec
{
    /// <summary>Reads a whole HDF5 file; throws <see cref="InvalidDataException"/> naming <paramref name="fileName"/> when it is not valid.</summary>
    HdfGroup Read(Stream stream, string fileName);

    /// <summary>Writes <paramref name="root"/> as an HDF5 file into <paramref name="stream"/>.</summary>
    void Write(HdfGroup root, Stream stream);
}
