using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using WireMock;
using WireMock.Types;
using WireMock.Util;

namespace Interactions.Resilience.Testing.Internal;

/// <summary>Renders a <see cref="ResponsePlan"/> as the WireMock response the client receives.</summary>
internal static class SimulatorResponses
{
    private const string JsonContentType = "application/json";
    private const string TextContentType = "text/plain; charset=utf-8";

    private static readonly byte[] OkBody = """{"ok":true}"""u8.ToArray();

    // Readable bodies: a test server's JSON is never embedded in HTML, and the catalog's text stays as written.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A message with no status, headers or body, for a connection that is already aborted.</summary>
    public static ResponseMessage Nothing() => new() { Headers = new Dictionary<string, WireMockList<string>>() };

    /// <summary>Renders <paramref name="plan"/>.</summary>
    /// <param name="plan">The answer decided for the request.</param>
    /// <param name="declaredContentLength">
    /// For a truncated answer, the length of the whole body, which the caller declares as <c>Content-Length</c>
    /// while the message carries only its first half; otherwise <see langword="null"/>.
    /// </param>
    public static ResponseMessage Render(ResponsePlan plan, out long? declaredContentLength)
    {
        declaredContentLength = null;
        var message = Nothing();
        message.StatusCode = plan.StatusCode;

        if (plan.RetryAfterSeconds is { } retryAfter)
        {
            message.AddHeader("Retry-After", SimulatorState.FormatRetryAfter(retryAfter));
        }

        if (plan.MetaCode is { } metaCode)
        {
            SetBody(message, MetaErrorBody(metaCode, plan.MetaDetails), JsonContentType);
            return message;
        }

        if (plan.ErrorCode is not { } code)
        {
            var body = plan.MessageId is { } id ? MessageCreatedBody(id) : OkBody;
            SetBody(message, body, JsonContentType);
            return message;
        }

        switch (plan.Form)
        {
            case InteractionsErrorForm.Header:
                message.AddHeader(InteractionsHeaderNames.ErrorCode, InteractionsErrorCatalog.Format(code));
                SetBody(message, Encoding.UTF8.GetBytes(TitleOf(code)), TextContentType);
                break;

            case InteractionsErrorForm.StatusOnly:
                break;

            default:
                var errorBody = ErrorBody(code);
                if (plan.Answer == SimulatorAnswer.Truncated)
                {
                    declaredContentLength = errorBody.Length;
                    errorBody = errorBody.AsSpan(0, errorBody.Length / 2).ToArray();
                }

                SetBody(message, errorBody, JsonContentType);
                break;
        }

        return message;
    }

    /// <summary>The vendor's error shape: <c>{"error":{"code":"031006","title":"…","message":"…"}}</c>.</summary>
    public static byte[] ErrorBody(InteractionsErrorCode code)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("code", InteractionsErrorCatalog.Format(code));
            writer.WriteString("title", TitleOf(code));
            writer.WriteString("message", MessageOf(code));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Meta's error shape, as the vendor relays it:
    /// <c>{"error":{"message":"(#130429) Rate limit hit","type":"OAuthException","code":130429,"error_data":{"messaging_product":"whatsapp","details":"…"},"fbtrace_id":"…"}}</c>.
    /// </summary>
    public static byte[] MetaErrorBody(int metaCode, string? details = null)
    {
        var (title, documentedDetails, _) = MetaCodes.Describe(metaCode);
        var code = metaCode.ToString(CultureInfo.InvariantCulture);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("message", $"(#{code}) {title}");
            writer.WriteString("type", "OAuthException");
            writer.WriteNumber("code", metaCode);
            writer.WriteStartObject("error_data");
            writer.WriteString("messaging_product", "whatsapp");
            writer.WriteString("details", details ?? documentedDetails);
            writer.WriteEndObject();
            writer.WriteString("fbtrace_id", "ASim" + code + "TraceId");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] MessageCreatedBody(string id)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    // A well-formed code outside the catalog is allowed, so tests can reach the client's "unknown code" path.
    private static string TitleOf(InteractionsErrorCode code)
        => InteractionsErrorCatalog.Contains(code) ? InteractionsErrorCatalog.Get(code).Title : "Undocumented Error";

    private static string MessageOf(InteractionsErrorCode code)
        => InteractionsErrorCatalog.Contains(code)
            ? InteractionsErrorCatalog.Get(code).Message
            : "The simulator answered a code that is not in the vendor's catalog.";

    private static void SetBody(ResponseMessage message, byte[] body, string contentType)
    {
        message.AddHeader("Content-Type", contentType);
        message.BodyData = new BodyData { DetectedBodyType = BodyType.Bytes, BodyAsBytes = body };
    }
}
