using System.Text;
using Interactions.Resilience.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Interactions.Resilience.Tests.Classification.Internal;

// The body reader as the classifier uses it: only the vendor's fields and Meta's fields inside "error" count;
// a code or details inside any other value are not the error's, also when the cap cuts the body inside that value.
public class JsonErrorBodyReaderTests
{
    private const string MetaHead = """{"error":{"message":"(#131026) Message Undeliverable","type":"OAuthException","code":131026""";

    private readonly InteractionsErrorClassifier _classifier = new(new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero)));

    private InteractionsError Classify(int status, string json, int? cutAt = null)
    {
        using var response = Responses.Status(status);
        var body = Encoding.UTF8.GetBytes(json);
        return cutAt is { } cut ? _classifier.Classify(response, body.AsSpan(0, cut), bodyIsComplete: false) : _classifier.Classify(response, body);
    }

    [Fact]
    public void Read_CodeInsideAnotherTopLevelObject_IsNotTheErrorsCode()
    {
        var error = Classify(404, """{"request":{"code":"010001"},"error":{"code":"031002"}}""");

        Assert.Equal(InteractionsErrorCode.TemplateNotExist, error.Code);
    }

    [Fact]
    public void Read_OtherTopLevelFieldsBeforeTheCode_AreNotCodes()
    {
        var error = Classify(404, """{"requestId":"12345","code":"031002"}""");

        Assert.Equal(InteractionsErrorCode.TemplateNotExist, error.Code);
        Assert.Equal("031002", error.RawCode);
    }

    [Fact]
    public void Read_CodeThatIsAnObject_IsSkippedWhole_ItsInnerCodeDoesNotCount()
    {
        var error = Classify(503, """{"code":{"code":"031002"}}""");

        Assert.Equal(InteractionsErrorCode.ServiceUnavailable, error.Code);
        Assert.Equal(InteractionsErrorSource.StatusCode, error.Source);
    }

    [Theory]
    [InlineData("""{"error":{"type":{"code":"031002"}}}""")]
    [InlineData("""{"error":{"fbtrace_id":{"code":"031002"}}}""")]
    [InlineData("""{"error":{"error_data":[{"code":"031002"}]}}""")]
    public void Read_MetaFieldOfAnotherShape_IsSkippedWhole_ItsInnerCodeDoesNotCount(string json)
    {
        var error = Classify(503, json);

        Assert.Equal(InteractionsErrorCode.ServiceUnavailable, error.Code);
        Assert.Equal(InteractionsErrorSource.StatusCode, error.Source);
    }

    [Fact]
    public void Read_MetasMarksOutsideError_DoNotMakeTheBodyMetas()
    {
        var error = Classify(400, """{"error":{"code":130429},"type":"OAuthException","fbtrace_id":"Az8or2yhqkZfEZ"}""");

        Assert.Equal(InteractionsErrorCode.UnknownError, error.Code);
        Assert.Equal("130429", error.RawCode);
    }

    [Fact]
    public void Read_DetailsOutsideErrorData_AreNotJoinedToTheMessage()
    {
        var error = Classify(400, MetaHead + ""","extra":{"details":"not Meta's details"},"fbtrace_id":"x"}}""");

        Assert.Equal(InteractionsErrorCode.MessageUndeliverable, error.Code);
        Assert.Equal("(#131026) Message Undeliverable", error.ServerMessage);
    }

    [Fact]
    public void Read_ErrorDataWithoutDetails_KeepsTheMessageAlone()
    {
        var error = Classify(400, MetaHead + ""","error_data":{"messaging_product":"whatsapp"},"fbtrace_id":"x"}}""");

        Assert.Equal(InteractionsErrorCode.MessageUndeliverable, error.Code);
        Assert.Equal("(#131026) Message Undeliverable", error.ServerMessage);
    }

    [Fact]
    public void Read_BodyCutInsideASkippedTopLevelValue_ReadsNothingFromInsideIt()
    {
        var json = """{"request":{"code":"031002","padding":" """ + new string('x', 500) + """ "},"code":"060001"}""";

        var error = Classify(400, json, cutAt: 100);

        Assert.Equal(InteractionsErrorCode.InvalidRequest, error.Code);
        Assert.Equal(InteractionsErrorSource.StatusCode, error.Source);
    }

    [Fact]
    public void Read_BodyCutInsideASkippedValueOfErrorData_TakesNoDetailsFromInsideIt()
    {
        var json = MetaHead + ""","error_data":{"blob":{"details":"inner","padding":" """ + new string('x', 500) + """ "}}}}""";

        var error = Classify(400, json, cutAt: MetaHead.Length + 60);

        Assert.Equal(InteractionsErrorCode.MessageUndeliverable, error.Code);
        Assert.Equal("(#131026) Message Undeliverable", error.ServerMessage);
    }

    // A skip that the cap cuts short leaves the reader before the value; reading on would take the value's insides
    // for the enclosing object's own properties.
    [Theory]
    [InlineData("""{"error":{"blob":{"code":"031002","padding":"PAD"}},"code":"060001"}""")]
    [InlineData("""{"error":{"error_data":{"blob":{"code":"031002","padding":"PAD"}}}}""")]
    [InlineData("""{"error":{"code":{"code":"031002","padding":"PAD"}}}""")]
    [InlineData("""{"error":{"type":["x",{"code":"031002","padding":"PAD"}]}}""")]
    public void Read_BodyCutInsideAValueSkippedWithinError_ReadsNoCodeFromInsideIt(string template)
    {
        var json = template.Replace("PAD", new string('x', 500), StringComparison.Ordinal);

        var error = Classify(400, json, cutAt: json.IndexOf("xxx", StringComparison.Ordinal) + 10);

        Assert.Equal(InteractionsErrorCode.InvalidRequest, error.Code);
        Assert.Equal(InteractionsErrorSource.StatusCode, error.Source);
    }

    [Fact]
    public void Read_TopLevelCodeAfterTheErrorObject_IsRead()
    {
        var error = Classify(404, """{"error":{"message":"Template missing"},"code":"031002"}""");

        Assert.Equal(InteractionsErrorCode.TemplateNotExist, error.Code);
        Assert.Equal("Template missing", error.ServerMessage);
    }

    [Fact]
    public void Read_CodeThatIsNoCode_TheErrorCodeAfterItCounts()
    {
        var error = Classify(404, """{"code":"not-a-code","errorCode":"031002"}""");

        Assert.Equal(InteractionsErrorCode.TemplateNotExist, error.Code);
    }

    [Fact]
    public void Read_MetasTraceIdAfterErrorData_MarksTheBodyAsMetas()
    {
        // Meta's own order: message, (type,) code, error_data, fbtrace_id; here the trace id is the only mark.
        var error = Classify(400, """{"error":{"message":"(#131026) Message Undeliverable","code":131026,"error_data":{"details":"Unable to deliver"},"fbtrace_id":"Az8or2yhqkZfEZ"}}""");

        Assert.Equal(InteractionsErrorCode.MessageUndeliverable, error.Code);
        Assert.Equal("131026", error.RawCode);
    }

    [Fact]
    public void Read_TraceIdThatIsNotAString_IsNoMetaMark()
    {
        var error = Classify(400, """{"error":{"message":"m","code":131026,"fbtrace_id":12345}}""");

        Assert.Equal(InteractionsErrorCode.UnknownError, error.Code);
        Assert.Equal("131026", error.RawCode);
    }
}
