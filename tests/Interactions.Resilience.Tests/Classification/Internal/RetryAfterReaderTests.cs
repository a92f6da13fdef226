using System.Net;
using Interactions.Resilience.Classification.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Interactions.Resilience.Tests.Classification.Internal;

// Runs alone, after the parallel collections: the 8 MB body test counts the whole process's allocations.
[CollectionDefinition(nameof(RetryAfterReaderTests), DisableParallelization = true)]
[Collection(nameof(RetryAfterReaderTests))]
public class RetryAfterReaderTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    // The reader reads bare delay-seconds itself and leaves every other form to RetryConditionHeaderValue:
    // for any value, it must agree with what the typed header says.
    [Theory]
    [InlineData("0")]
    [InlineData("3")]
    [InlineData("0003")]
    [InlineData("0000000003")]
    [InlineData("00000000003")]
    [InlineData("00000000000000000003")]
    [InlineData("999999999")]
    [InlineData("2147483647")]
    [InlineData("2147483648")]
    [InlineData("99999999999")]
    [InlineData(" 3")]
    [InlineData("3 ")]
    [InlineData("\t3\t")]
    [InlineData("3, 4")]
    [InlineData("3 4")]
    [InlineData("+3")]
    [InlineData("-3")]
    [InlineData("3.5")]
    [InlineData("1e3")]
    [InlineData("0x10")]
    [InlineData("\u0663")] // ARABIC-INDIC DIGIT THREE
    [InlineData("３")] // FULLWIDTH DIGIT THREE
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("Sat, 28 Nov 2026 12:00:42 GMT")]
    [InlineData("Sat, 28 Nov 2026 11:55:00 GMT")]
    public void Read_AnyRetryAfter_AgreesWithTheTypedHeader(string value)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", value);

        Assert.Equal(FromTypedHeader(value), RetryAfterReader.Read(response.Headers, _time));
    }

    [Fact]
    public void Read_TwoRetryAfterValues_AgreesWithTheTypedHeader()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", "3");
        response.Headers.TryAddWithoutValidation("Retry-After", "4");
        using var reference = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        reference.Headers.TryAddWithoutValidation("Retry-After", "3");
        reference.Headers.TryAddWithoutValidation("Retry-After", "4");

        Assert.Equal(FromRetryCondition(reference.Headers.RetryAfter), RetryAfterReader.Read(response.Headers, _time));
    }

    [Fact]
    public void Read_TypedRetryAfterAlreadyParsed_IsStillRead()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", "3");
        _ = response.Headers.RetryAfter;

        Assert.Equal(TimeSpan.FromSeconds(3), RetryAfterReader.Read(response.Headers, _time));
    }

    // retry-after-ms is read as a number of milliseconds: a value past what TimeSpan holds is the longest wait
    // (for the policy to refuse), never an exception from the header.
    [Theory]
    [InlineData("1500", 1500d)]
    [InlineData("0.25", 0.25d)]
    [InlineData("1e3", 1000d)]
    [InlineData("0", 0d)]
    [InlineData("-0", 0d)]
    [InlineData("-1", 0d)]
    [InlineData("-1e300", 0d)]
    public void Read_RetryAfterMs_IsTheWaitInMilliseconds_NegativeIsZero(string value, double expectedMs)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation(InteractionsHeaderNames.RetryAfterMs, value);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), RetryAfterReader.Read(response.Headers, _time));
    }

    [Theory]
    [InlineData("1e300")]
    [InlineData("922337203685477.5807")] // TimeSpan.MaxValue in milliseconds
    [InlineData("922337203685478")]
    [InlineData("922337203685477")] // exactly TimeSpan.MaxValue.TotalMilliseconds
    public void Read_RetryAfterMsBeyondTimeSpan_IsTheLongestWait(string value)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation(InteractionsHeaderNames.RetryAfterMs, value);

        Assert.Equal(TimeSpan.MaxValue, RetryAfterReader.Read(response.Headers, _time));
    }

    [Fact]
    public void Read_RetryAfterMsJustBelowTheLongestWait_IsThatWait()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation(InteractionsHeaderNames.RetryAfterMs, "900000000000000");

        Assert.Equal(TimeSpan.FromSeconds(900_000_000_000), RetryAfterReader.Read(response.Headers, _time));
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("soon")]
    [InlineData("")]
    public void Read_RetryAfterMsNotAFiniteNumber_IsIgnoredForRetryAfter(string value)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation(InteractionsHeaderNames.RetryAfterMs, value);
        response.Headers.TryAddWithoutValidation("Retry-After", "7");

        Assert.Equal(TimeSpan.FromSeconds(7), RetryAfterReader.Read(response.Headers, _time));
    }

    [Fact]
    public void Read_RetryAfterMsNotAFiniteNumberAlone_IsNoWait()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation(InteractionsHeaderNames.RetryAfterMs, "NaN");

        Assert.Null(RetryAfterReader.Read(response.Headers, _time));
    }

    [Fact]
    public void Read_SeveralRetryAfterMsValues_TheFirstThatParsesCounts()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation(InteractionsHeaderNames.RetryAfterMs, "later");
        response.Headers.TryAddWithoutValidation(InteractionsHeaderNames.RetryAfterMs, "250");
        response.Headers.TryAddWithoutValidation(InteractionsHeaderNames.RetryAfterMs, "900");

        Assert.Equal(TimeSpan.FromMilliseconds(250), RetryAfterReader.Read(response.Headers, _time));
    }

    [Theory]
    [InlineData("0003")]
    [InlineData("0000000003")]
    public void Read_BareDelaySeconds_LeavesTheHeaderAsTheServerSentIt(string value)
    {
        // Parsing the typed header would rewrite its stored text to "3".
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", value);

        Assert.Equal(TimeSpan.FromSeconds(3), RetryAfterReader.Read(response.Headers, _time));
        Assert.Equal(value, response.Headers.NonValidated["Retry-After"].ToString());
    }

    [Fact]
    public void Read_NoWaitHeaders_IsNull()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("X-Other", "3");

        Assert.Null(RetryAfterReader.Read(response.Headers, _time));
    }

    [Fact]
    public void Read_RetryAfterDateNow_IsZero()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        response.Headers.TryAddWithoutValidation("Retry-After", _time.GetUtcNow().ToString("R"));

        Assert.Equal(TimeSpan.Zero, RetryAfterReader.Read(response.Headers, _time));
    }

    private TimeSpan? FromTypedHeader(string value)
    {
        using var reference = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        reference.Headers.TryAddWithoutValidation("Retry-After", value);
        return FromRetryCondition(reference.Headers.RetryAfter);
    }

    private TimeSpan? FromRetryCondition(System.Net.Http.Headers.RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _time.GetUtcNow() > TimeSpan.Zero ? date - _time.GetUtcNow() : TimeSpan.Zero,
        _ => null,
    };
}
