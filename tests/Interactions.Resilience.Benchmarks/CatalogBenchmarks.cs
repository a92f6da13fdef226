using BenchmarkDotNet.Attributes;

namespace Interactions.Resilience.Benchmarks;

/// <summary>The catalog lookups every classification and every exception leans on.</summary>
[MemoryDiagnoser]
public class CatalogBenchmarks
{
    // Fields, not constants, so the JIT cannot fold the arguments away.
    private readonly InteractionsErrorCode _code = InteractionsErrorCode.TemplateIsPaused;
    private readonly string _text = "031002";

    [Benchmark]
    public InteractionsErrorInfo Get() => InteractionsErrorCatalog.Get(_code);

    [Benchmark]
    public InteractionsErrorCode TryParse()
        => InteractionsErrorCatalog.TryParse(_text, out var code) ? code : throw new InvalidOperationException("031002 is in the catalog.");

    [Benchmark]
    public string Format() => InteractionsErrorCatalog.Format(_code);
}
