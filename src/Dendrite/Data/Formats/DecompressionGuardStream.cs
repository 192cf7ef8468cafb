namespace Dendrite.Data;

/// <summary>
/// Wraps a decompressing stream (gzip, deflate) so that its errors read as what they are: the runtime reports any
/// corrupt deflate data as "unsupported compression method"; this says the data is not valid <c>format</c>.
/// </summary>
internal sealed class DecompressionGuardStream(Stream inner, string format) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count)
    {
        try { return inner.Read(buffer, offset, count); }
        catch (InvalidDataException e) { throw new InvalidDataException($"The data is not valid {format}: the compressed stream is corrupt.", e); }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
