using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace Interactions.Resilience.Benchmarks;

/// <summary>
/// The synchronous core of <see cref="InteractionsErrorClassifier"/> on bodies already read:
/// budget under 500 ns and nothing allocated beyond the returned error and its message (the README's "Performance" budgets).
/// </summary>
[MemoryDiagnoser]
public class ClassificationBenchmarks
{
    private const int BodyLength = 200;

    private readonly InteractionsErrorClassifier _classifier = new();

    private byte[] _nestedStringCode = [];
    private byte[] _flatNumericCode = [];
    private byte[] _rateLimited = [];
    private byte[] _html = [];
    private byte[] _metaRateLimit = [];
    private HttpResponseMessage _rateLimitedResponse = null!;

    [GlobalSetup]
    public void Setup()
    {
        _nestedStringCode = Body("""{"error":{"code":"031006","title":"Template Is Paused","message":"The template is currently paused. Please activate the template to use it.","requestId":"{id}"}}""");
        _flatNumericCode = Body("""{"code":31002,"message":"The specified template does not exist. Please check the template identifier.","requestId":"{id}"}""");
        _rateLimited = Body("""{"error":{"code":"030003","title":"Rate Limit Exceeded","message":"The rate limit for API requests has been exceeded. Please wait a while before making more requests.","requestId":"{id}"}}""");
        _metaRateLimit = Body("""{"error":{"message":"(#130429) Rate limit hit","type":"OAuthException","code":130429,"error_data":{"messaging_product":"whatsapp","details":"Cloud API throughput has been reached."},"fbtrace_id":"{id}"}}""");
        _html = Body("<html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1><p>The upstream is briefly unavailable.</p><!--{id}--></body></html>");

        _rateLimitedResponse = NewRateLimitedResponse();

        // Fail here rather than publish figures for a body that no longer classifies as intended.
        Expect(NestedStringCode(), InteractionsErrorCode.TemplateIsPaused, InteractionsErrorSource.Body, retryAfter: null);
        Expect(FlatNumericCode(), InteractionsErrorCode.TemplateNotExist, InteractionsErrorSource.Body, retryAfter: null);
        Expect(MetaRelayedRateLimit(), InteractionsErrorCode.RateLimitExceeded, InteractionsErrorSource.Body, retryAfter: null);
        Expect(NonJsonStatusFallback(), InteractionsErrorCode.ServiceUnavailable, InteractionsErrorSource.StatusCode, retryAfter: null);
        Expect(WithRetryAfterHeader(), InteractionsErrorCode.RateLimitExceeded, InteractionsErrorSource.Body, retryAfter: TimeSpan.FromSeconds(3));
        Expect(WithRetryAfterHeader_NewResponseEachCall(), InteractionsErrorCode.RateLimitExceeded, InteractionsErrorSource.Body, retryAfter: TimeSpan.FromSeconds(3));
    }

    [GlobalCleanup]
    public void Cleanup() => _rateLimitedResponse.Dispose();

    [Benchmark(Baseline = true)]
    public InteractionsError NestedStringCode()
        => _classifier.Classify(HttpStatusCode.BadRequest, headers: null, _nestedStringCode, bodyIsComplete: true);

    [Benchmark]
    public InteractionsError FlatNumericCode()
        => _classifier.Classify(HttpStatusCode.NotFound, headers: null, _flatNumericCode, bodyIsComplete: true);

    // Meta's shape, relayed: also allocates Meta's code as the raw code and the message joined with the details.
    [Benchmark]
    public InteractionsError MetaRelayedRateLimit()
        => _classifier.Classify(HttpStatusCode.BadRequest, headers: null, _metaRateLimit, bodyIsComplete: true);

    [Benchmark]
    public InteractionsError NonJsonStatusFallback()
        => _classifier.Classify(HttpStatusCode.ServiceUnavailable, headers: null, _html, bodyIsComplete: true);

    [Benchmark]
    public InteractionsError WithRetryAfterHeader()
        => _classifier.Classify(HttpStatusCode.TooManyRequests, _rateLimitedResponse.Headers, _rateLimited, bodyIsComplete: true);

    // The response above is reused, so after the first call its Retry-After is already parsed and cached
    // by HttpHeaders. A real response is classified once: these two rows measure that cost, by difference.
    [Benchmark]
    public InteractionsError WithRetryAfterHeader_NewResponseEachCall()
    {
        using var response = NewRateLimitedResponse();
        return _classifier.Classify(response.StatusCode, response.Headers, _rateLimited, bodyIsComplete: true);
    }

    [Benchmark]
    public HttpStatusCode NewResponseEachCall_Alone()
    {
        using var response = NewRateLimitedResponse();
        return response.StatusCode;
    }

    private static HttpResponseMessage NewRateLimitedResponse()
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", "3");
        return response;
    }

    /// <summary>Fills the <c>{id}</c> placeholder so the body is exactly <see cref="BodyLength"/> bytes.</summary>
    private static byte[] Body(string template)
    {
        var padding = BodyLength - (Encoding.UTF8.GetByteCount(template) - "{id}".Length);
        if (padding < 0)
        {
            throw new InvalidOperationException($"The template is longer than {BodyLength} bytes.");
        }

        var id = string.Create(padding, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = "0123456789abcdef"[(i * 7) % 16];
            }
        });
        return Encoding.UTF8.GetBytes(template.Replace("{id}", id, StringComparison.Ordinal));
    }

    private static void Expect(InteractionsError error, InteractionsErrorCode code, InteractionsErrorSource source, TimeSpan? retryAfter)
    {
        if (error.Code != code || error.Source != source || error.RetryAfter != retryAfter)
        {
            throw new InvalidOperationException($"Expected {code} from {source} (Retry-After {retryAfter}), got {error.Code} from {error.Source} (Retry-After {error.RetryAfter}).");
        }
    }
}
