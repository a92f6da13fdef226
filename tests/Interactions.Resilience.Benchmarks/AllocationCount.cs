namespace Interactions.Resilience.Benchmarks;

/// <summary>
/// <c>alloc</c>: the bytes each row of <see cref="TwoXxPathBenchmarks"/> and <see cref="ErrorPathBenchmarks"/>
/// allocates per call on <see cref="PrimaryKind.SyncStub"/> and <see cref="PrimaryKind.AsyncStub"/>, counted on every
/// thread after a warm-up, as the MemoryDiagnoser counts them. Allocations are deterministic, so this needs no quiet
/// machine and takes seconds; timings are left to BenchmarkDotNet.
/// </summary>
internal static class AllocationCount
{
    private const int WarmUp = 20_000;
    private const int Measured = 20_000;

    public static async Task<int> RunAsync(TextWriter output)
    {
        output.WriteLine("| Class | Primary | Row | Allocated per call |");
        output.WriteLine("|---|---|---|---:|");
        foreach (var primary in new[] { PrimaryKind.SyncStub, PrimaryKind.AsyncStub })
        {
            var twoXx = new TwoXxPathBenchmarks { Primary = primary };
            await twoXx.Setup().ConfigureAwait(false);
            await Row(output, "TwoXxPath", primary, nameof(twoXx.Bare_Get), twoXx.Bare_Get).ConfigureAwait(false);
            await Row(output, "TwoXxPath", primary, nameof(twoXx.Standard_Get), twoXx.Standard_Get).ConfigureAwait(false);
            await Row(output, "TwoXxPath", primary, nameof(twoXx.Interactions_Get), twoXx.Interactions_Get).ConfigureAwait(false);
            await Row(output, "TwoXxPath", primary, nameof(twoXx.Bare_Post), twoXx.Bare_Post).ConfigureAwait(false);
            await Row(output, "TwoXxPath", primary, nameof(twoXx.Standard_Post), twoXx.Standard_Post).ConfigureAwait(false);
            await Row(output, "TwoXxPath", primary, nameof(twoXx.Interactions_Post), twoXx.Interactions_Post).ConfigureAwait(false);
            await twoXx.Cleanup().ConfigureAwait(false);

            var error = new ErrorPathBenchmarks { Primary = primary };
            error.Setup();
            await Row(output, "ErrorPath", primary, nameof(error.Standard_OneServerErrorThenOk), error.Standard_OneServerErrorThenOk).ConfigureAwait(false);
            await Row(output, "ErrorPath", primary, nameof(error.Interactions_OneServerErrorThenOk), error.Interactions_OneServerErrorThenOk).ConfigureAwait(false);
            error.Cleanup();
        }

        return 0;
    }

    private static async Task Row(TextWriter output, string type, PrimaryKind primary, string name, Func<Task> call)
    {
        for (var i = 0; i < WarmUp; i++)
        {
            await call().ConfigureAwait(false);
        }

        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < Measured; i++)
        {
            await call().ConfigureAwait(false);
        }

        var after = GC.GetTotalAllocatedBytes(precise: true);
        output.WriteLine($"| {type} | {primary} | {name} | {(after - before) / (double)Measured:0} B |");
    }
}
