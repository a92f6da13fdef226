using System.Net;
using Interactions.Resilience.Exceptions.Internal;
using Interactions.Resilience.Tests.Pipeline;

namespace Interactions.Resilience.Tests.Exceptions;

/// <summary>Every code becomes the exception of its category, carrying what the app needs and never the server's text in the message.</summary>
public class InteractionsExceptionFactoryTests
{
    public static TheoryData<InteractionsErrorCode> AllCodes()
    {
        var data = new TheoryData<InteractionsErrorCode>();
        foreach (var entry in InteractionsErrorCatalog.All)
        {
            data.Add(entry.Code);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllCodes))]
    public void Create_EachCode_TheTypeOfItsCategory_WithItsProperties(InteractionsErrorCode code)
    {
        var info = InteractionsErrorCatalog.Get(code);
        var error = new InteractionsError(info, InteractionsErrorSource.Body, HttpStatusCode.BadRequest, "Bearer secret-token-123 pin 654321", TimeSpan.FromSeconds(3), info.FormattedCode);
        var uri = new Uri("http://api.example/v1/messages");

        var exception = InteractionsExceptionFactory.Create(error, attempts: 2, TimeSpan.FromSeconds(7), uri);

        Assert.IsType(InteractionsResilienceHandlerPolicyTests.ExpectedExceptionType(code), exception); // the table the handler tests state
        Assert.Equal(code, exception.Code);
        Assert.Equal(info.FormattedCode, exception.FormattedCode);
        Assert.Equal(info.Category, exception.Category);
        Assert.Equal(info.Title, exception.Title);
        Assert.Equal(HttpStatusCode.BadRequest, exception.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), exception.RetryAfter);
        Assert.Equal(2, exception.Attempts);
        Assert.Equal(uri, exception.RequestUri);
        Assert.Equal("Bearer secret-token-123 pin 654321", exception.ServerMessage);
        Assert.StartsWith($"Interactions error {info.FormattedCode} ({info.Title})", exception.Message);
        Assert.DoesNotContain("secret-token-123", exception.Message);
        Assert.DoesNotContain("654321", exception.Message);
    }

    [Fact]
    public void Create_WithCauseAndDetail_KeepsTheCauseInsideAndSaysWhy()
    {
        var cause = new HttpRequestException("connection reset");
        var error = InteractionsErrorClassifier.ClassifyTransportFailure(cause);

        var exception = InteractionsExceptionFactory.Create(error, attempts: 4, retryAfter: null, requestUri: null, cause, detail: "The client's retry budget is spent; the request was not retried.");

        Assert.IsType<InteractionsServerException>(exception);
        Assert.Equal(InteractionsErrorCode.ServiceUnavailable, exception.Code);
        Assert.Same(cause, exception.InnerException);
        Assert.Contains("retry budget is spent", exception.Message);
    }
}
