namespace Interactions.Resilience.Tests.TestSupport;

/// <summary>
/// A response body as a network delivers it: the bytes in chunks of at most <c>chunk</c> bytes, then the end,
/// or a failure (a connection reset) once <c>failAfter</c> bytes have been read. Knows whether it was disposed.
/// </summary>
internal sealed class ScriptedBodyStream(byte[] body, int chunk = int.MaxValue, int failAfter = -1, Func<Exception>? failure = null) : Stream
{
    private int _position;

    public bool IsDisposed { get; private set; }

    public int BytesRead => _position;

    public override bool CanRead => !IsDisposed;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (failAfter >= 0 && _position >= failAfter)
        {
            throw failure?.Invoke() ?? new IOException("The connection was reset.");
        }

        var end = failAfter >= 0 ? Math.Min(failAfter, body.Length) : body.Length;
        var n = Math.Min(Math.Min(buffer.Length, chunk), end - _position);
        body.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => new(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }
}
