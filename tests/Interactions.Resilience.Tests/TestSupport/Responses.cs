using System.Net;
using System.Text;

namespace Interactions.Resilience.Tests.TestSupport;

/// <summary>Builds responses as a server would send them.</summary>
internal static class Responses
{
    public static HttpResponseMessage Json(int status, string json, string contentType = "application/json")
        => Bytes(status, Encoding.UTF8.GetBytes(json), contentType);

    public static HttpResponseMessage Bytes(int status, byte[] body, string? contentType = "application/json")
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return new HttpResponseMessage((HttpStatusCode)status) { Content = content };
    }

    public static HttpResponseMessage Status(int status) => new((HttpStatusCode)status);

    public static string ErrorBody(string code, string message = "server says no") =>
        $$$"""{"error":{"code":"{{{code}}}","title":"t","message":"{{{message}}}"}}""";
}
