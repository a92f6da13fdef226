using System.Buffers;
using System.Runtime.CompilerServices;

namespace Interactions.Resilience.Classification.Internal;

/// <summary>
/// The first bytes of an error response's body, read for the classifier into a pooled buffer and held there. The
/// response keeps its original content, partly read, until one of two ends: <see cref="Restore"/> replaces it with
/// one that yields the same bytes again followed by the rest, so the caller loses nothing (for a response that
/// reaches the app); <see cref="Release"/> gives the buffer back and closes the rest (for a response that is
/// dropped for a retry). Exactly one of them is called, once; neither allocates a copy before it is needed.
/// </summary>
internal struct ErrorBodyPeek
{
    // SocketsHttpHandler's response content: opening its stream hands over the connection's, synchronously.
    // Stryker disable once String : Type.GetType("") is null, so that content opens asynchronously instead, which yields the same stream
    private static readonly Type? SocketsResponseContent = Type.GetType("System.Net.Http.HttpConnectionResponseContent, System.Net.Http");

    private byte[]? _buffer;
    private Stream? _rest;

    private ErrorBodyPeek(HttpResponseMessage? response, byte[]? buffer, int length, bool isComplete, Stream? rest)
    {
        Response = response;
        _buffer = buffer;
        Length = length;
        IsComplete = isComplete;
        _rest = rest;
    }

    /// <summary>Gets the response whose body is held; null for a peek that holds nothing.</summary>
    public HttpResponseMessage? Response { get; private set; }

    /// <summary>Gets the number of bytes read.</summary>
    public int Length { get; }

    /// <summary>Gets whether the bytes read are the whole body.</summary>
    public bool IsComplete { get; }

    /// <summary>Gets whether a body is held, to be restored or released.</summary>
    public readonly bool IsHeld => Response is not null;

    /// <summary>Gets the bytes read: the whole body, or its first bytes up to the cap. Valid until restored or released.</summary>
    public readonly ReadOnlySpan<byte> Bytes => _buffer is null ? [] : _buffer.AsSpan(0, Length);

    /// <summary>Reads the first bytes and gives the response a content that yields them again: the public classifier's way.</summary>
    public static async ValueTask<(byte[] Bytes, bool IsComplete)> ReadAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        // Stryker disable once Boolean : ConfigureAwait(true) only resumes on a captured context; the library has none to capture and the result is the same
        var peek = await ReadHeldAsync(response, maxBytes, cancellationToken).ConfigureAwait(false);
        var isComplete = peek.IsComplete;
        return (peek.Restore(), isComplete);
    }

    /// <summary>Reads the first bytes into a pooled buffer and holds them; the response's content is left as it is.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<ErrorBodyPeek> ReadHeldAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        var content = response.Content;
        if (content is null || maxBytes == 0 || content.Headers.ContentLength == 0)
        {
            return new ErrorBodyPeek(response: null, buffer: null, 0, isComplete: content?.Headers.ContentLength == 0, rest: null); // holds nothing: the content stays untouched
        }

        var declared = content.Headers.ContentLength;
        var bufferSize = (int)Math.Min(maxBytes, declared is
            // Stryker disable once Equality,Conditional : a declared 0 returned above and a negative length never passes the header, so < 0, >= 0 and always maxBytes only pick the buffer's size; every read stays bounded by maxBytes
            > 0 ? declared.Value + 1 : maxBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        Stream? stream = null;
        var read = 0;
        var atEnd = false;
        try
        {
            // Stryker disable once Boolean,Conditional : ConfigureAwait(true) only resumes on a captured context, which the library has none of; always opening asynchronously yields the same stream, only with a Task
            stream = OpensSynchronously(content) ? content.ReadAsStream(cancellationToken) : await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            while (read < maxBytes)
            {
                // Stryker disable once Boolean : ConfigureAwait(true) only resumes on a captured context; the library has none to capture and the result is the same
                var n = await stream.ReadAsync(buffer.AsMemory(read, Math.Min(buffer.Length, maxBytes) - read), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    atEnd = true;
                    break;
                }

                read += n;
                // Stryker disable once Logical,Equality : || grows a buffer that is not yet full, <= one that the loop then leaves full; every read stays bounded by maxBytes, so the same bytes arrive
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

        if (atEnd)
        {
            stream?.Dispose();
            stream = null;
        }

        return new ErrorBodyPeek(response, buffer, read, atEnd, stream);
    }

    /// <summary>
    /// The response reaches the app: its content becomes the bytes read followed by the rest, and the buffer goes
    /// back to the pool. Returns the bytes (a copy of their own). Nothing to do for a peek that holds nothing.
    /// </summary>
    public byte[] Restore()
    {
        if (Response is not { } response)
        {
            return [];
        }

        var bytes = Bytes.ToArray();
        if (response.Content is { } original)
        {
            response.Content = new PrefixedStreamContent(bytes, _rest, original);
        }

        ReturnBuffer();
        _rest = null;
        Response = null;
        return bytes;
    }

    /// <summary>The response is dropped (a retry follows): the buffer goes back to the pool and the rest is closed.</summary>
    public void Release()
    {
        // Stryker disable once Block,Statement : a peek that holds nothing has neither buffer nor rest, so the rest of Release does nothing either
        if (Response is null)
        {
            return;
        }

        ReturnBuffer();
        _rest?.Dispose();
        _rest = null;
        Response = null;
    }

    private void ReturnBuffer()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Contents whose stream opens at once without I/O (in memory, or the connection's own stream), so the synchronous
    /// call spares the <c>Task</c> the asynchronous one allocates. Any other content, an app's own or a decompressing
    /// one, opens asynchronously, as it may need to.
    /// </summary>
    private static bool OpensSynchronously(HttpContent content)
    {
        var type = content.GetType();
        // Stryker disable once Logical : && opens fewer contents synchronously; the asynchronous open yields the same stream, only with a Task
        return type == typeof(ByteArrayContent) || type == typeof(StringContent) || type == typeof(ReadOnlyMemoryContent) || type == SocketsResponseContent;
    }

    private static byte[] Grow(byte[] buffer, int maxBytes)
    {
        // Stryker disable once Linq : a larger buffer only; every read stays bounded by maxBytes, so the same bytes arrive
        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBytes, (long)buffer.Length * 2));
        buffer.CopyTo(larger, 0);
        // Stryker disable once Statement : a buffer not given back to the pool is collected instead; nothing reads it again
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }
}
