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
