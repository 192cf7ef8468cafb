namespace Dendrite.Saving.Hdf5.Reading;

/// <summary>
/// Dendrite's own read-only HDF5 reader: what Keras, h5py and the PureHDF writer produce, as an <see cref="HdfGroup"/>
/// tree. Pure managed, no reflection, positioned reads on the stream. Every address, length and count is checked against
/// the file before it is followed, work and allocation are bounded by a budget proportional to the file's length, object
/// headers are visited once and groups nest at most <see cref="H5Context.MaxDepth"/> deep; only
/// <see cref="InvalidDataException"/> and <see cref="NotSupportedException"/> (naming the file and the object) escape.
/// </summary>
internal static class Hdf5Reader
{
    public static HdfGroup Read(Stream stream, string fileName)
    {
        if (!stream.CanSeek || !stream.CanRead) throw new NotSupportedException($"{fileName}: the HDF5 reader needs a readable, seekable stream");
        var c = new H5Context(stream, fileName);
        try
        {
            var heap = new GlobalHeap(c);
            ulong root = Superblock.RootAddress(c);
            var messages = ObjectHeader.Read(c, root);
            return Group(c, messages, heap, depth: 0);
        }
        catch (InvalidDataException) { throw; }
        catch (NotSupportedException) { throw; }
        catch (Exception e) when (e is ArithmeticException or EndOfStreamException or ArgumentException or IndexOutOfRangeException or KeyNotFoundException or IOException)
        {
            throw new InvalidDataException($"{fileName}: HDF5 object '{c.Path}' is corrupt ({e.GetType().Name}: {e.Message})", e);
        }
    }

    private static HdfGroup Group(H5Context c, List<HeaderMessage> messages, GlobalHeap heap, int depth)
    {
        if (depth > H5Context.MaxDepth) throw c.Bad($"groups nest more than {H5Context.MaxDepth} deep");
        var group = new HdfGroup();
        Attributes.Read(c, messages, group.Attributes, heap);
        string path = c.Path;
        foreach (var (name, address) in Links.Read(c, messages))
        {
            c.Path = path + name;
            var child = ObjectHeader.Read(c, address);
            if (child.Any(m => m.Type == ObjectHeader.Layout)) group.Datasets[name] = Dataset(c, child);
            else if (child.Any(m => m.Type == ObjectHeader.Datatype)) continue;         // a committed datatype
            else
            {
                c.Path += "/";
                group.Groups[name] = Group(c, child, heap, depth + 1);
            }
            c.Path = path;
        }
        return group;
    }

    private static HdfArray Dataset(H5Context c, List<HeaderMessage> messages)
    {
        HeaderMessage Need(int type, string what) => messages.FirstOrDefault(m => m.Type == type) ?? throw c.Bad($"the dataset has no {what} message");
        var type = Datatype.Parse(new H5Cursor(c, Need(ObjectHeader.Datatype, "datatype").Data, "a datatype message"));
        var space = Dataspace.Parse(new H5Cursor(c, Need(ObjectHeader.Dataspace, "dataspace").Data, "a dataspace message"));
        var layout = DataLayout.Parse(new H5Cursor(c, Need(ObjectHeader.Layout, "data layout").Data, "a data layout message"));
        var pipeline = messages.FirstOrDefault(m => m.Type == ObjectHeader.FilterPipeline);
        var filters = pipeline is null ? null : FilterPipeline.Parse(new H5Cursor(c, pipeline.Data, "a filter pipeline message"));
        if (filters is { Ids.Length: 0 }) filters = null;
        bool isFloat = type.Class == (int)TypeClass.Float && type.Size is 2 or 4 or 8;
        bool isInt = type.Class == (int)TypeClass.FixedPoint && type.Size is 1 or 2 or 4 or 8;
        if (!isFloat && !isInt)
            throw c.Unsupported($"a dataset of type {type.Describe()}; Dendrite reads float16/32/64 and integer weights");
        if (space.Null) throw c.Unsupported("a dataset with a null dataspace");
        long count = space.Count(c, type.Size, filters is null ? 1 : 1100);
        switch (filters is null ? Values.Direct(c, type, layout, count) : null)
        {
            case float[] f: return new HdfArray(space.Shape(), f);
            case long[] l: return new HdfArray(space.Shape(), l);
        }
        c.Expanding = filters is not null;
        try
        {
            byte[] raw = layout.ReadRaw(c, space, type.Size, count, filters);
            return isFloat ? new HdfArray(space.Shape(), Values.Floats(c, type, raw, count)) : new HdfArray(space.Shape(), Values.Longs(c, type, raw, count));
        }
        finally { c.Expanding = false; }
    }
}
