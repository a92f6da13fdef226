using System.Net;

namespace Interactions.Resilience.Classification.Internal;

/// <summary>
/// The body of an error response after the classifier read its first bytes: those bytes, then the rest
/// of the original stream, so the caller still reads the whole body, also past the classifier's cap.
/// </summary>
internal sealed class PrefixedStreamContent : HttpContent
{
    private readonly byte[] _prefix;
    private readonly Stream? _rest;
    private readonly HttpContent _original;

    public PrefixedStreamContent(byte[] prefix, Stream? rest, HttpContent original)
    {
        _prefix = prefix;
        _rest = rest;
        _original = original;
        foreach (var header in original.Headers.NonValidated)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    // Stryker disable once Boolean : ConfigureAwait(true) only resumes on a captured context; the library has none to capture and the result is the same
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        => await SerializeToStreamAsync(stream, context, CancellationToken.None).ConfigureAwait(false);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        // Stryker disable once Boolean : ConfigureAwait(true) only resumes on a captured context; the library has none to capture and the result is the same
        await stream.WriteAsync(_prefix, cancellationToken).ConfigureAwait(false);
        if (_rest is not null)
        {
            // Stryker disable once Boolean : ConfigureAwait(true) only resumes on a captured context; the library has none to capture and the result is the same
            await _rest.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    // The synchronous HttpClient.Send and ReadAsStream() come here: HttpContent has no synchronous default.
    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        stream.Write(_prefix);
        _rest?.CopyTo(stream);
    }

    protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult(ReadStream());

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) => ReadStream();

    protected override bool TryComputeLength(out long length)
    {
        length = _prefix.Length;
        return _rest is null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Stryker disable once Statement : the rest is the stream the original content handed out, which the original's HttpContent.Dispose below disposes too
            _rest?.Dispose();
            _original.Dispose();
        }

        base.Dispose(disposing);
    }

    private Stream ReadStream() => _rest is null ? new MemoryStream(_prefix, writable: false) : new PrefixedStream(_prefix, _rest);
}
