using System.Buffers;

namespace Interactions.Resilience.Classification.Internal;

/// <summary>
/// The first bytes of an error response's body, read for the classifier. Reading replaces the response's
/// content with one that yields the same bytes again followed by the rest, so the caller loses nothing.
/// </summary>
internal readonly struct ErrorBodyPeek
{
    private ErrorBodyPeek(byte[] bytes, bool isComplete)
    {
        Bytes = bytes;
        IsComplete = isComplete;
    }

    /// <summary>Gets the bytes read: the whole body, or its first bytes up to the cap.</summary>
    public byte[] Bytes { get; }

    /// <summary>Gets whether <see cref="Bytes"/> is the whole body.</summary>
    public bool IsComplete { get; }

    public static async ValueTask<ErrorBodyPeek> ReadAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        var content = response.Content;
        if (content is null || maxBytes == 0 || content.Headers.ContentLength == 0)
        {
            return new ErrorBodyPeek([], isComplete: content?.Headers.ContentLength == 0);
        }

        var declared = content.Headers.ContentLength;
        var bufferSize = (int)Math.Min(maxBytes, declared is > 0 ? declared.Value + 1 : maxBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        Stream? stream = null;
        var read = 0;
        var atEnd = false;
        try
        {
            stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            while (read < maxBytes)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read, Math.Min(buffer.Length, maxBytes) - read), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    atEnd = true;
                    break;
                }

                read += n;
                if (read == buffer.Length && read < maxBytes)
                {
                    buffer = Grow(buffer, maxBytes);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            // A body cut off by the network: classify on what arrived, and give the caller just that.
            atEnd = true;
        }

        var bytes = buffer.AsSpan(0, read).ToArray();
        ArrayPool<byte>.Shared.Return(buffer);
        response.Content = new PrefixedStreamContent(bytes, atEnd ? DisposeAndForget(stream) : stream, content);
        return new ErrorBodyPeek(bytes, atEnd);
    }

    private static Stream? DisposeAndForget(Stream? stream)
    {
        stream?.Dispose();
        return null;
    }

    private static byte[] Grow(byte[] buffer, int maxBytes)
    {
        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBytes, (long)buffer.Length * 2));
        buffer.CopyTo(larger, 0);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }
}
