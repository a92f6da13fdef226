using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Interactions.Resilience.WebSample;

/// <summary>
/// The body of <c>/healthz</c>: the overall status and, for each check, its status, description and data, e.g.
/// <c>{"status":"Unhealthy","checks":[{"name":"interactions-resilience","status":"Unhealthy","description":"Interactions client 'interactions' is halted by 010002 Temporarily Blocked, 60 s left","data":{…}}]}</c>.
/// </summary>
public static class HealthResponse
{
    // Read by people and probes, never embedded in HTML: "'interactions'", not "\u0027interactions\u0027".
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Status codes: 200 while Healthy or Degraded (the app still serves), 503 while Unhealthy.</summary>
    public static HealthCheckOptions Options { get; } = new()
    {
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status200OK,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
        ResponseWriter = WriteAsync,
    };

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new
            {
                name = e.Key,
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }
}
