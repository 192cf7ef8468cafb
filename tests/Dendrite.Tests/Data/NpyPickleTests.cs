using System.Text;
using Dendrite.Data;

namespace Dendrite.Tests.Data;

/// <summary>Object arrays (pickled by np.save) read by the pickle-subset reader, and everything else refused.</summary>
public class NpyPickleTests
{
    // The object array [[1, 2, 300], [70000, -5], []] as Python 2 + NumPy wrote it (protocol 2, SHORT_BINSTRING 'b', 'O8'),
    // which is how Keras's imdb.npz was written.
    private const string Python2 = Python2Array;
    private const string Protocol5 = Protocol5Array;

    internal const string Python2Array =
        "k05VTVBZAQB2AHsnZGVzY3InOiAnfE8nLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMywpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAqAAmNudW1weS5jb3JlLm11bHRpYXJyYXkKX3JlY29uc3RydWN0CnEAY251bXB5Cm5kYXJyYXkKcQFLAIVxAlUBYnEDh3EEUnEFKEsBSwOFcQZjbnVtcHkKZHR5cGUKcQdVAk84cQiJiIdxCVJxCihLA1UBfHELTk5OSv////9K/////0s/dHEMYoldcQ0oXXEOKEsBSwJNLAFlXXEPKEpwEQEASvv///9lXXEQZXRxEWIu";

    // The same array pickled with protocol 5 (FRAME, SHORT_BINUNICODE, STACK_GLOBAL, MEMOIZE), as newer Pythons write.
    internal const string Protocol5Array =
        "k05VTVBZAQB2AHsnZGVzY3InOiAnfE8nLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMywpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAqABZWkAAAAAAAAAIwVbnVtcHkuY29yZS5tdWx0aWFycmF5lIwMX3JlY29uc3RydWN0lJOUjAVudW1weZSMB25kYXJyYXmUk5RLAIWUQwFilIeUUpQoSwFLA4WUaAOMBWR0eXBllJOUjAJPOJSJiIeUUpQoSwOMAXyUTk5OSv////9K/////0s/dJRiiV2UKF2UKEsBSwJNLAFlXZQoSnARAQBK+////2VdlGV0lGIu";

    private static NDArray Load(byte[] bytes, bool allowPickle = true) => Npy.Read(new MemoryStream(bytes), allowPickle);

    [Theory]
    [InlineData(Python2)]
    [InlineData(Protocol5)]
    public void Lists_of_ints_come_back_as_long_arrays(string b64)
    {
        var a = Load(Convert.FromBase64String(b64));
        Assert.Equal("object", a.DType);
        Assert.Equal([3], a.Shape);
        var items = (object?[])a.Data;
        Assert.Equal([1L, 2L, 300L], Assert.IsType<long[]>(items[0]));
        Assert.Equal([70000L, -5L], Assert.IsType<long[]>(items[1]));
        Assert.Empty(Assert.IsType<long[]>(items[2]));
        Assert.Throws<NotSupportedException>(() => a.ToTensor());
    }

    [Fact]
    public void Object_arrays_need_allow_pickle_as_in_numpy() =>
        Assert.Contains("allowPickle", Assert.Throws<NotSupportedException>(() => Load(Convert.FromBase64String(Python2), allowPickle: false)).Message);

    [Fact]
    public void A_global_outside_the_numpy_subset_is_refused_before_anything_runs()
    {
        var bytes = Convert.FromBase64String(Python2);
        byte[] evil = Encoding.ASCII.GetBytes("cos\nsystem\n");
        int at = IndexOf(bytes, Encoding.ASCII.GetBytes("cnumpy.core.multiarray\n_reconstruct\n"));
        var patched = bytes[..at].Concat(evil).Concat(bytes[(at + 36)..]).ToArray();
        var e = Assert.Throws<InvalidDataException>(() => Load(patched));
        Assert.Contains("os.system", e.Message);
    }

    [Fact]
    public void Truncations_and_unknown_opcodes_are_invalid_data()
    {
        var bytes = Convert.FromBase64String(Python2);
        for (int cut = 128; cut < bytes.Length - 1; cut += 7)
            Assert.Throws<InvalidDataException>(() => Load(bytes[..cut]));
        var unknown = (byte[])bytes.Clone();
        unknown[^1] = (byte)'i';   // INST instead of STOP
        Assert.Contains("0x69", Assert.Throws<InvalidDataException>(() => Load(unknown)).Message);
    }

    [Fact]
    public void A_shape_that_differs_from_the_header_is_invalid_data()
    {
        var bytes = Convert.FromBase64String(Python2);
        int at = IndexOf(bytes, Encoding.ASCII.GetBytes("(3,)"));
        bytes[at + 1] = (byte)'4';
        Assert.Contains("shape", Assert.Throws<InvalidDataException>(() => Load(bytes)).Message);
    }

    [Fact]
    public void A_list_that_holds_itself_is_refused_not_a_stack_overflow()
    {
        // The array's data list (memo 13 in the Python 2 pickle) gets itself appended: BINGET 13, APPEND before its APPENDS.
        var bytes = Convert.FromBase64String(Python2);
        int at = IndexOf(bytes, [(byte)']', (byte)'q', 13]) + 3;
        var patched = bytes[..at].Concat(new byte[] { (byte)'h', 13, (byte)'a' }).Concat(bytes[at..]).ToArray();
        Assert.Contains("nested", Assert.Throws<InvalidDataException>(() => Load(patched)).Message);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        throw new InvalidOperationException("needle not found");
    }
}
