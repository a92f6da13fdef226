using System.Text.RegularExpressions;

namespace Interactions.Resilience.Tests.Catalog;

public class InteractionsErrorCatalogTests
{
    // A copy of the vendor's own document (shared/seeds/000_9bb7c568f76cf8e3.txt), kept with the tests.
    private static readonly string[] VendorRows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Catalog", "TestData", "vendor-error-codes.txt"))
        .Where(line => Regex.IsMatch(line, @"^\d{6}\S"))
        .ToArray();

    [Fact]
    public void VendorDocument_Has38Rows_AndCatalogHas38Entries()
    {
        Assert.Equal(38, VendorRows.Length);
        Assert.Equal(38, InteractionsErrorCatalog.All.Count);
        Assert.Equal(38, Enum.GetValues<InteractionsErrorCode>().Length);
    }

    [Fact]
    public void EveryVendorRow_IsCodeTitleAndMessage_CharacterForCharacter()
    {
        for (var i = 0; i < VendorRows.Length; i++)
        {
            var entry = InteractionsErrorCatalog.All[i];
            Assert.Equal(VendorRows[i], entry.FormattedCode + entry.Title + entry.Message);
        }
    }

    [Fact]
    public void EnumMembers_AreTitlesInPascalCase_WithTheCodeAsValue()
    {
        foreach (var entry in InteractionsErrorCatalog.All)
        {
            var expected = string.Concat(Regex.Split(entry.Title, "[^A-Za-z0-9]+")
                .Where(w => w.Length > 0)
                .Select(w => char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant()));
            Assert.Equal(expected, entry.Code.ToString());
            Assert.Equal(int.Parse(entry.FormattedCode), (int)entry.Code);
        }

        Assert.Equal(31006, (int)InteractionsErrorCode.TemplateIsPaused);
    }

    [Fact]
    public void Category_IsFirstTwoDigits_Except031And032()
    {
        foreach (var entry in InteractionsErrorCatalog.All)
        {
            var expected = entry.FormattedCode[..3] switch
            {
                "031" => InteractionsErrorCategory.Template,
                "032" => InteractionsErrorCategory.Media,
                _ => entry.FormattedCode[..2] switch
                {
                    "01" => InteractionsErrorCategory.General,
                    "02" => InteractionsErrorCategory.Authentication,
                    "03" => InteractionsErrorCategory.Api,
                    "04" => InteractionsErrorCategory.Permissions,
                    "05" => InteractionsErrorCategory.Vendor,
                    "06" => InteractionsErrorCategory.Server,
                    "07" => InteractionsErrorCategory.Payment,
                    "08" => InteractionsErrorCategory.Unknown,
                    _ => throw new InvalidOperationException(entry.FormattedCode),
                },
            };
            Assert.Equal(expected, entry.Category);
        }
    }

    [Theory]
    [InlineData("060001", InteractionsPolicy.Retry)]
    [InlineData("060002", InteractionsPolicy.Retry)]
    [InlineData("060003", InteractionsPolicy.Retry)]
    [InlineData("060004", InteractionsPolicy.Retry)]
    [InlineData("032001", InteractionsPolicy.Retry)]
    [InlineData("032002", InteractionsPolicy.Retry)]
    [InlineData("050001", InteractionsPolicy.Retry)]
    [InlineData("080001", InteractionsPolicy.Retry)]
    [InlineData("030003", InteractionsPolicy.WaitAndRetry)]
    [InlineData("020008", InteractionsPolicy.Cooldown)]
    [InlineData("020007", InteractionsPolicy.Cooldown)]
    [InlineData("010002", InteractionsPolicy.Halt)]
    [InlineData("010003", InteractionsPolicy.Halt)]
    [InlineData("010006", InteractionsPolicy.Halt)]
    public void DefaultPolicy_FollowsDesignTable(string code, InteractionsPolicy policy)
    {
        Assert.True(InteractionsErrorCatalog.TryParse(code, out var parsed));
        Assert.Equal(policy, InteractionsErrorCatalog.Get(parsed).DefaultPolicy);
    }

    [Fact]
    public void DefaultPolicy_IsFailFast_ForEveryOtherCode()
    {
        var named = new[] { 60001, 60002, 60003, 60004, 32001, 32002, 50001, 80001, 30003, 20008, 20007, 10002, 10003, 10006 };
        var others = InteractionsErrorCatalog.All.Where(e => !named.Contains((int)e.Code)).ToList();
        Assert.Equal(24, others.Count);
        Assert.All(others, e => Assert.Equal(InteractionsPolicy.FailFast, e.DefaultPolicy));
    }

    [Theory]
    [InlineData("031002", InteractionsErrorCode.TemplateNotExist)]
    [InlineData("31002", InteractionsErrorCode.TemplateNotExist)]
    [InlineData(" 010001 ", InteractionsErrorCode.InvalidRequest)]
    [InlineData("080001", InteractionsErrorCode.UnknownError)]
    public void TryParse_CatalogCode_ReturnsIt(string text, InteractionsErrorCode expected)
    {
        Assert.True(InteractionsErrorCatalog.TryParse(text, out var code));
        Assert.Equal(expected, code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("031007")]
    [InlineData("0310020")]
    [InlineData("31002x")]
    [InlineData("-31002")]
    [InlineData("abc")]
    public void TryParse_NotACatalogCode_ReturnsFalse(string? text)
    {
        Assert.False(InteractionsErrorCatalog.TryParse(text, out _));
    }

    [Fact]
    public void Format_WritesSixDigitsWithLeadingZero()
    {
        Assert.Equal("031002", InteractionsErrorCatalog.Format(InteractionsErrorCode.TemplateNotExist));
        Assert.Equal("031002", InteractionsErrorCatalog.Get(InteractionsErrorCode.TemplateNotExist).FormattedCode);
        Assert.Equal("012345", InteractionsErrorCatalog.Format((InteractionsErrorCode)12345));
    }

    [Fact]
    public void Get_CodeNotInCatalog_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InteractionsErrorCatalog.Get((InteractionsErrorCode)12345));
    }
}
