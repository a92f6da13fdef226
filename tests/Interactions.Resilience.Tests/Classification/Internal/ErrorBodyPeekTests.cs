using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Interactions.Resilience.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Interactions.Resilience.Tests.Classification.Internal;

// The classifier reads the first bytes of an error body; whatever the body does (longer than declared, cut off
// by the network, longer than the cap), the caller still reads every byte that arrived, and nothing leaks.
public class ErrorBodyPeekTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    private static byte[] JsonWithPadding(string code, int length)
    {
        var head = $$"""{"code":"{{code}}","message":"no such template","padding":" """;
        return Encoding.UTF8.GetBytes(head + new string('x', length - head.Length - 3) + "\"}\n");
    }

    private static HttpResponseMessage Streamed(int status, Stream body, long? declaredLength = null)
    {
        var content = new StreamContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentLength = declaredLength;
        return new HttpResponseMessage((HttpStatusCode)status) { Content = content };
    }

    private async Task<InteractionsError> ClassifyAsync(HttpResponseMessage response, int maxBodyBytes = InteractionsErrorClassifier.DefaultMaxBodyBytes, CancellationToken cancellationToken = default)
        => await new InteractionsErrorClassifier(_time, maxBodyBytes).ClassifyAsync(response, cancellationToken) ?? throw new InvalidOperationException("not classified");

    [Fact]
    public async Task Classify_BodyLongerThanItsDeclaredLength_ReadsOnToTheCap_AndKeepsEveryByte()
    {
        // The code comes after the declared 10 bytes: the classifier keeps reading (growing its buffer) up to the cap.
        var body = Encoding.UTF8.GetBytes("""{"padding":" """ + new string('x', 1500) + """ ","code":"031002","message":"no such template"}""");
        var source = new ScriptedBodyStream(body, chunk: 100);
        var response = Streamed(404, source, declaredLength: 10);

        var error = await ClassifyAsync(response, maxBodyBytes: 4096);

        Assert.Equal(InteractionsErrorCode.TemplateNotExist, error.Code);
        Assert.Equal("no such template", error.ServerMessage);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Classify_BodyLongerThanTheCap_ReadsExactlyTheCap_AndTheCallerStillReadsEveryByte()
    {
        var body = JsonWithPadding("031002", 5000);
        var source = new ScriptedBodyStream(body, chunk: 300);
        var response = Streamed(404, source);

        var error = await ClassifyAsync(response, maxBodyBytes: 1000);

        Assert.Equal(InteractionsErrorCode.TemplateNotExist, error.Code);
        Assert.Equal(1000, source.BytesRead);
        Assert.False(source.IsDisposed, "the rest of the body is still to be read");
        Assert.Null(response.Content.Headers.ContentLength); // unknown, as it was: not the length of the bytes read
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Classify_BodyExactlyTheCap_KeepsTheConnectionOpenForTheRest()
    {
        // After the cap the classifier cannot know whether more follows, so it must not drop the stream.
        var body = JsonWithPadding("031002", 2000);
        var source = new ScriptedBodyStream(body);
        var response = Streamed(404, source);

        await ClassifyAsync(response, maxBodyBytes: 2000);

        Assert.False(source.IsDisposed);
        Assert.Null(response.Content.Headers.ContentLength);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Classify_WholeBodyWithinTheCap_ReleasesTheStream_AndTheLengthIsKnown()
    {
        var body = JsonWithPadding("031002", 700);
        var source = new ScriptedBodyStream(body, chunk: 64);
        var response = Streamed(404, source);

        var error = await ClassifyAsync(response, maxBodyBytes: 4096);

        Assert.Equal(InteractionsErrorCode.TemplateNotExist, error.Code);
        Assert.True(source.IsDisposed, "a body read to its end gives its connection back at once");
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync()); // a buffered body reads again
    }

    [Fact]
    public async Task Classify_BodyOverTheCap_DisposingTheResponseDisposesTheUnreadRest()
    {
        var source = new ScriptedBodyStream(JsonWithPadding("031002", 5000));
        var response = Streamed(404, source);
        await ClassifyAsync(response, maxBodyBytes: 1000);

        response.Dispose();

        Assert.True(source.IsDisposed);
    }

    [Fact]
    public async Task Classify_BodyOverTheCap_DisposingTheBodyStreamDisposesTheUnreadRest()
    {
        var source = new ScriptedBodyStream(JsonWithPadding("031002", 5000));
        var response = Streamed(404, source);
        await ClassifyAsync(response, maxBodyBytes: 1000);

        var stream = await response.Content.ReadAsStreamAsync();
        Assert.Equal((byte)'{', (byte)stream.ReadByte());
        stream.Dispose();

        Assert.True(source.IsDisposed);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(999)]
    [InlineData(1000)]
    [InlineData(4096)]
    public async Task Classify_BodyOverTheCap_ReadSynchronouslyInAnyChunks_YieldsEveryByteInOrder(int chunk)
    {
        var body = JsonWithPadding("031002", 3000);
        var response = Streamed(404, new ScriptedBodyStream(body, chunk: 500));
        await ClassifyAsync(response, maxBodyBytes: 1000);

        using var stream = await response.Content.ReadAsStreamAsync();
        var read = new MemoryStream();
        var buffer = new byte[chunk + 2];
        int n;
        while ((n = stream.Read(buffer, 1, chunk)) > 0)
        {
            read.Write(buffer, 1, n);
        }

        Assert.Equal(body, read.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    [InlineData(4096)]
    public async Task Classify_BodyOverTheCap_ReadAsynchronouslyInAnyChunks_YieldsEveryByteInOrder(int chunk)
    {
        var body = JsonWithPadding("031002", 3000);
        var response = Streamed(404, new ScriptedBodyStream(body, chunk: 500));
        await ClassifyAsync(response, maxBodyBytes: 1000);

        using var stream = await response.Content.ReadAsStreamAsync();
        var read = new MemoryStream();
        var buffer = new byte[chunk + 2];
        int n;
        while ((n = await stream.ReadAsync(buffer.AsMemory(1, chunk))) > 0)
        {
            read.Write(buffer, 1, n);
        }

        Assert.Equal(body, read.ToArray());
    }

    [Fact]
    public async Task Classify_BodyOverTheCap_ReadsAsText()
    {
        var body = JsonWithPadding("031002", 3000);
        var response = Streamed(404, new ScriptedBodyStream(body, chunk: 500));
        await ClassifyAsync(response, maxBodyBytes: 1000);

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        Assert.Equal(Encoding.UTF8.GetString(body), reader.ReadToEnd());
    }

    [Fact]
    public async Task Classify_BodyOverTheCap_IsAForwardOnlyReadOnlyStream()
    {
        var response = Streamed(404, new ScriptedBodyStream(JsonWithPadding("031002", 3000)));
        await ClassifyAsync(response, maxBodyBytes: 1000);

        using var stream = await response.Content.ReadAsStreamAsync();

        Assert.True(stream.CanRead);
        Assert.False(stream.CanSeek);
        Assert.False(stream.CanWrite);
        Assert.Throws<NotSupportedException>(() => stream.Length);
        Assert.Throws<NotSupportedException>(() => stream.Position);
        Assert.Throws<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => stream.Write([1], 0, 1));
    }

    public static TheoryData<Exception> NetworkFailures => new()
    {
        new IOException("The connection was reset."),
        new HttpRequestException("The response ended prematurely."),
    };

    [Theory]
    [MemberData(nameof(NetworkFailures))]
    public async Task Classify_BodyCutOffAfterTheErrorObject_ClassifiesOnWhatArrived_AndGivesTheCallerJustThat(Exception failure)
    {
        var arrived = Encoding.UTF8.GetBytes("""{"code":"031002","message":"no such template"}""");
        var body = arrived.Concat(Encoding.UTF8.GetBytes(new string(' ', 500))).ToArray();
        var source = new ScriptedBodyStream(body, chunk: 16, failAfter: arrived.Length, failure: () => failure);
        var response = Streamed(404, source);

        var error = await ClassifyAsync(response);

        Assert.Equal(InteractionsErrorCode.TemplateNotExist, error.Code);
        Assert.Equal("no such template", error.ServerMessage);
        Assert.True(source.IsDisposed, "the broken connection is let go");
        Assert.Equal(arrived, await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [MemberData(nameof(NetworkFailures))]
    public async Task Classify_BodyCutOffInsideTheErrorObject_FallsThroughToTheStatus(Exception failure)
    {
        var body = JsonWithPadding("031002", 600);
        var response = Streamed(503, new ScriptedBodyStream(body, chunk: 16, failAfter: 20, failure: () => failure));

        var error = await ClassifyAsync(response);

        Assert.Equal(InteractionsErrorCode.ServiceUnavailable, error.Code);
        Assert.Equal(InteractionsErrorSource.StatusCode, error.Source);
        Assert.Equal(body.AsSpan(0, 20).ToArray(), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Classify_OtherFailureWhileReadingTheBody_IsNotMistakenForACutBody()
    {
        var response = Streamed(503, new ScriptedBodyStream(JsonWithPadding("031002", 600), failAfter: 20, failure: () => new InvalidOperationException("a bug")));

        await Assert.ThrowsAsync<InvalidOperationException>(() => ClassifyAsync(response));
    }

    [Fact]
    public async Task Classify_CancelledWhileTheBodyFails_ThrowsInsteadOfClassifyingACutBody()
    {
        using var cancellation = new CancellationTokenSource();
        var failure = () =>
        {
            cancellation.Cancel(); // a cancelled read of a socket surfaces as an IOException
            return new IOException("The operation was aborted.");
        };
        var response = Streamed(503, new ScriptedBodyStream(JsonWithPadding("031002", 600), failAfter: 20, failure: failure));

        await Assert.ThrowsAsync<IOException>(() => ClassifyAsync(response, cancellationToken: cancellation.Token));
    }

    [Fact]
    public async Task Classify_CapOfZero_NeverTouchesTheBody()
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new ThrowingContent() };

        var error = await ClassifyAsync(response, maxBodyBytes: 0);

        Assert.Equal(InteractionsErrorCode.RateLimitExceeded, error.Code);
        Assert.IsType<ThrowingContent>(response.Content);
    }

    [Fact]
    public async Task Classify_DeclaredEmptyBody_IsNotRead()
    {
        var content = new ThrowingContent();
        content.Headers.ContentLength = 0;
        var response = new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = content };

        var error = await ClassifyAsync(response);

        Assert.Equal(InteractionsErrorCode.InvalidCredentials, error.Code);
        Assert.Same(content, response.Content);
    }

    [Fact]
    public async Task Classify_BodyWithinTheCap_KeepsTheContentHeaders()
    {
        var response = Streamed(404, new ScriptedBodyStream(JsonWithPadding("031002", 300)));
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/problem+json") { CharSet = "utf-8" };
        response.Content.Headers.ContentLanguage.Add("en");

        await ClassifyAsync(response);

        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal(["en"], response.Content.Headers.ContentLanguage);
    }

    [Theory]
    [InlineData(300)]
    [InlineData(3000)]
    public async Task Classify_AnyBody_ReadsWithTheSynchronousReadAsStream(int length)
    {
        // What a caller of the synchronous HttpClient.Send does with the error body.
        var body = JsonWithPadding("031002", length);
        var response = Streamed(404, new ScriptedBodyStream(body, chunk: 500));
        await ClassifyAsync(response, maxBodyBytes: 1000);

        using var reader = new StreamReader(response.Content.ReadAsStream());

        Assert.Equal(Encoding.UTF8.GetString(body), reader.ReadToEnd());
    }

    [Theory]
    [InlineData(300)]
    [InlineData(3000)]
    public async Task Classify_AnyBody_CopiesWithTheSynchronousCopyTo(int length)
    {
        var body = JsonWithPadding("031002", length);
        var response = Streamed(404, new ScriptedBodyStream(body, chunk: 500));
        await ClassifyAsync(response, maxBodyBytes: 1000);

        var copy = new MemoryStream();
        response.Content.CopyTo(copy, context: null, CancellationToken.None);

        Assert.Equal(body, copy.ToArray());
    }

    [Fact]
    public async Task Classify_OneByteBody_StaysReadable()
    {
        var response = Responses.Bytes(502, "x"u8.ToArray(), "text/plain");

        var error = await ClassifyAsync(response);

        Assert.Equal(InteractionsErrorCode.ServerTemporarilyUnavailable, error.Code);
        Assert.Equal("x", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Classify_DeclaredLengthBeyondTwoGigabytes_ReadsOnlyTheCap_AndTheCallerStillReadsEveryByte()
    {
        // A Content-Length past what an array holds (a proxy's, or a lie) must not size the classifier's buffer.
        var body = JsonWithPadding("031002", 5000);
        var source = new ScriptedBodyStream(body, chunk: 300);
        var response = Streamed(404, source, declaredLength: 3L * 1024 * 1024 * 1024);

        var error = await ClassifyAsync(response, maxBodyBytes: 1000);

        Assert.Equal(InteractionsErrorCode.TemplateNotExist, error.Code);
        Assert.Equal(1000, source.BytesRead);
        using var stream = await response.Content.ReadAsStreamAsync();
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(body, copy.ToArray());
    }

    [Theory]
    [InlineData(300)]
    [InlineData(3000)]
    public async Task Classify_ContentThatOpensOnlyAsynchronously_IsReadAndStaysReadable(int length)
    {
        // An app's or a test's own content, without the synchronous HttpContent overloads.
        var body = JsonWithPadding("031002", length);
        var response = new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new AsyncOnlyContent(body) };

        var error = await ClassifyAsync(response, maxBodyBytes: 1000);

        Assert.Equal(InteractionsErrorCode.TemplateNotExist, error.Code);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ReadHeld_ThenRelease_LeavesTheContentAsItWas_AndClosesTheRest()
    {
        // A response dropped for a retry: its bytes were classified from the pooled buffer, nothing was copied or wrapped.
        var body = JsonWithPadding("060001", 5000);
        var source = new ScriptedBodyStream(body, chunk: 300);
        var response = Streamed(500, source);
        var original = response.Content;

        var peek = await Interactions.Resilience.Classification.Internal.ErrorBodyPeek.ReadHeldAsync(response, 1000, CancellationToken.None);

        Assert.True(peek.IsHeld);
        Assert.Equal(body.AsSpan(0, 1000).ToArray(), peek.Bytes.ToArray());
        Assert.Same(original, response.Content);
        peek.Release();
        Assert.False(peek.IsHeld);
        Assert.True(peek.Bytes.IsEmpty, "the buffer went back to the pool: the peek no longer reaches it");
        Assert.True(source.IsDisposed, "the unread rest is closed");
        Assert.Same(original, response.Content);
    }

    [Fact]
    public async Task ReadHeld_ThenRestore_TheCallerReadsEveryByte()
    {
        var body = JsonWithPadding("031002", 5000);
        var source = new ScriptedBodyStream(body, chunk: 300);
        var response = Streamed(404, source);

        var peek = await Interactions.Resilience.Classification.Internal.ErrorBodyPeek.ReadHeldAsync(response, 1000, CancellationToken.None);
        var bytes = peek.Restore();

        Assert.False(peek.IsHeld);
        Assert.True(peek.Bytes.IsEmpty, "the buffer went back to the pool: the peek no longer reaches it");
        Assert.Equal(body.AsSpan(0, 1000).ToArray(), bytes);
        Assert.False(source.IsDisposed);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ReadHeld_EmptyBody_HoldsNothing_AndTheContentIsUntouched()
    {
        var response = new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new ByteArrayContent([]) };
        var original = response.Content;

        var peek = await Interactions.Resilience.Classification.Internal.ErrorBodyPeek.ReadHeldAsync(response, 1000, CancellationToken.None);

        Assert.False(peek.IsHeld);
        Assert.True(peek.IsComplete);
        Assert.Empty(peek.Restore());
        Assert.Same(original, response.Content);
    }

    private sealed class AsyncOnlyContent(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
