using System.Net;
using System.Text;
using Interactions.Resilience.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Interactions.Resilience.Tests.Classification.Internal;

// The content a classified error response carries afterwards: the bytes the classifier read, then the rest. It owns
// what the original content owned, and behaves like any content once disposed.
public class PrefixedStreamContentTests
{
    private readonly InteractionsErrorClassifier _classifier = new(new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero)), maxBodyBytes: 1000);

    private static byte[] Body(int length)
    {
        var head = """{"code":"031002","message":"no such template","padding":" """;
        return Encoding.UTF8.GetBytes(head + new string('x', length - head.Length - 2) + "\"}");
    }

    [Fact]
    public async Task Dispose_BodyOverTheCap_DisposesTheOriginalContentAndTheUnreadRest()
    {
        // An app's own content (a handler's or a test double's), which hands out the stream it wraps.
        var source = new ScriptedBodyStream(Body(5000), chunk: 300);
        var original = new HandOutContent(source);
        var response = new HttpResponseMessage(HttpStatusCode.NotFound) { Content = original };
        await _classifier.ClassifyAsync(response);

        response.Dispose();

        Assert.True(source.IsDisposed, "the unread rest is closed");
        Assert.True(original.IsDisposed, "the original content is disposed");
    }

    [Fact]
    public async Task Dispose_BodyWithinTheCap_DisposesTheOriginalContent()
    {
        var original = new HandOutContent(new ScriptedBodyStream(Body(300)));
        var response = new HttpResponseMessage(HttpStatusCode.NotFound) { Content = original };
        await _classifier.ClassifyAsync(response);

        response.Dispose();

        Assert.True(original.IsDisposed);
    }

    [Theory]
    [InlineData(300)]
    [InlineData(5000)]
    public async Task Dispose_ThenRead_ThrowsObjectDisposed_AsAnyContent(int length)
    {
        var response = new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StreamContent(new ScriptedBodyStream(Body(length))) };
        await _classifier.ClassifyAsync(response);
        var content = response.Content;

        response.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => content.ReadAsStreamAsync());
    }

    [Fact]
    public async Task ReadStream_BodyWithinTheCap_IsReadOnly()
    {
        var body = Body(300);
        var response = Responses.Bytes(404, body);
        await _classifier.ClassifyAsync(response);

        using var stream = await response.Content.ReadAsStreamAsync();

        Assert.True(stream.CanRead);
        Assert.False(stream.CanWrite);
        Assert.Throws<NotSupportedException>(() => stream.Write([1], 0, 1));
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
    }

    private sealed class HandOutContent(Stream stream) : HttpContent
    {
        public bool IsDisposed { get; private set; }

        protected override Task SerializeToStreamAsync(Stream target, TransportContext? context) => stream.CopyToAsync(target);

        protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            IsDisposed = true;
            base.Dispose(disposing);
        }
    }
}
