using Interactions.Resilience.Tests.TestSupport;

namespace Interactions.Resilience.Tests.Classification;

public class InteractionsErrorTests
{
    [Fact]
    public async Task ToString_IsTheSixDigitCodeAndItsTitle()
    {
        var error = await new InteractionsErrorClassifier().ClassifyAsync(Responses.Json(404, Responses.ErrorBody("031002")));

        Assert.Equal("031002 Template Not Exist", error!.ToString());
    }
}
