using Interactions.Resilience.Testing;

namespace Interactions.Resilience.WebSample;

/// <summary>The sample's endpoints. Who may lift pauses is the app's to decide: protect <c>DELETE /pauses</c> as any admin endpoint.</summary>
public static class SampleEndpoints
{
    /// <summary><c>POST /send</c>: sends one message; 200 with its id, or a problem-details body with the code and title of the failure.</summary>
    public static async Task<IResult> SendAsync(MessagesClient client, SendRequest? request, CancellationToken cancellationToken)
    {
        try
        {
            var id = await client.SendAsync(request?.To ?? "+15550100", request?.Text ?? "Hello from the web sample", cancellationToken);
            return Results.Ok(new { id });
        }
        catch (InteractionsException ex)
        {
            return Problem(ex);
        }
    }

    /// <summary><c>POST /simulator/fail/{code}</c>: the simulator answers the next request (or <paramref name="count"/>) with that six-digit code.</summary>
    public static IResult FailNext(InteractionsSimulator simulator, string code, int? count, int? retryAfterSeconds)
    {
        if (!InteractionsErrorCatalog.TryParse(code, out var parsed))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown code", detail: $"'{code}' is not a code of the Interactions catalog.");
        }

        var retryAfter = retryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        simulator.FailNext(count ?? 1, parsed, retryAfter: retryAfter);
        var info = InteractionsErrorCatalog.Get(parsed);
        return Results.Ok(new { code = info.FormattedCode, title = info.Title, count = count ?? 1, retryAfterSeconds });
    }

    /// <summary><c>GET /pauses</c>: the pauses in force, as JSON.</summary>
    public static IResult GetPauses(InteractionsPauses pauses) => Results.Ok(pauses.GetPausesInForce().Select(ToJson));

    /// <summary><c>DELETE /pauses</c>: lifts every pause of every client; returns what was lifted.</summary>
    public static IResult LiftAll(InteractionsPauses pauses) => Results.Ok(new { lifted = pauses.LiftAll().Select(ToJson) });

    private static object ToJson(InteractionsPauseInfo pause) => new
    {
        client = pause.ClientName,
        kind = pause.Kind.ToString(),
        scope = pause.Scope,
        code = pause.Error.FormattedCode,
        title = pause.Error.Title,
        timeLeftSeconds = pause.TimeLeft?.TotalSeconds,
    };

    private static IResult Problem(InteractionsException ex)
    {
        // 429 for a rate limit, 503 when the client refused locally (halt, open circuit), else 502: the vendor failed.
        var status = ex is InteractionsRateLimitException ? StatusCodes.Status429TooManyRequests
            : ex.Attempts == 0 ? StatusCodes.Status503ServiceUnavailable
            : StatusCodes.Status502BadGateway;
        var extensions = new Dictionary<string, object?>
        {
            ["code"] = InteractionsErrorCatalog.Format(ex.Code),
            ["category"] = ex.Category.ToString(),
            ["attempts"] = ex.Attempts,
        };
        if (ex.RetryAfter is { } retryAfter)
        {
            extensions["retryAfterSeconds"] = Math.Ceiling(retryAfter.TotalSeconds);
        }

        return Results.Problem(statusCode: status, title: ex.Title, detail: ex.Message, extensions: extensions);
    }
}

/// <summary>The body of <c>POST /send</c>; both fields optional.</summary>
public sealed record SendRequest(string? To, string? Text);
