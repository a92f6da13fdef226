using System.Diagnostics;
using System.Globalization;
using Interactions.Resilience.Testing;

namespace Interactions.Resilience.Benchmarks.Load;

/// <summary>
/// <c>soak</c>: a hostile mix through ours, once without and once with sporadic 030003s, R rounds alternating which
/// goes first. 5,000 POSTs (the issue's size: at 1,000 the harm of pausing everybody on a lone 030003 does not yet
/// show) from 50 concurrent senders; before each send a seeded plan may script one fault for the
/// next request to arrive: 10 % a catalog error in a random form (any code but 030003, the halts — one would fail
/// the client for <c>HaltDuration</c> — and the PIN and registration cooldowns, whose 30 s and 5 min waits would be
/// the whole soak), 2 % a 2 s slow answer, 2 % a dropped connection. "With" adds
/// <see cref="InteractionsRateLimitModel.Sporadic"/>: 1 % of all attempts answered 429 + 030003 + <c>Retry-After: 1</c>.
/// Verdict: the success share with them is at least the share without them, less 2 points (which request meets
/// which scripted fault depends on the interleaving, so two soaks without 030003s differ by about that much).
/// </summary>
internal static class SoakComparison
{
    private const int Sends = 5_000;
    private const int Senders = 50;
    private const double ErrorShare = 0.10;
    private const double SlowShare = 0.02;
    private const double DroppedShare = 0.02;
    private const double SporadicShare = 0.01;
    private const double Tolerance = 0.02;
    private const int Seed = 20_261_203;

    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(2);
    // Past the handler's 2-minute total timeout: a send that fails, fails by the handler's doing, as a user would see it.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(150);

    private static readonly InteractionsErrorCode[] FaultCodes = InteractionsErrorCatalog.All
        .Where(e => e.DefaultPolicy is not (InteractionsPolicy.Halt or InteractionsPolicy.Cooldown) && e.Code != InteractionsErrorCode.RateLimitExceeded)
        .Select(e => e.Code)
        .ToArray();

    // The vendor's own forms: Meta's relayed body has no counterpart for every catalog code (030001 has none), and
    // the simulator refuses those rather than invent one.
    private static readonly InteractionsErrorForm[] CatalogForms = [InteractionsErrorForm.Body, InteractionsErrorForm.Header, InteractionsErrorForm.StatusOnly];

    public static async Task<bool> RunAsync(TextWriter output, LoadOptions options)
    {
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"soak: {Sends} POSTs from {Senders} senders through ours; scripted faults: {ErrorShare:P0} catalog errors ({FaultCodes.Length} codes, random forms), {SlowShare:P0} slow ({Slow.TotalSeconds:0} s), {DroppedShare:P0} dropped; with or without {SporadicShare:P0} sporadic 030003 (429, Retry-After 1); {options.Rounds} round(s); each soak bounded by {Deadline.TotalSeconds:0} s"));
        output.WriteLine();
        output.WriteLine("| round | soak | succeeded | failed: as 030003 / at the deadline / other | requests sent | 030003 answers | wall time |");
        output.WriteLine("|---:|---|---:|---:|---:|---:|---:|");

        var without = new List<SoakResult>();
        var with = new List<SoakResult>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var sporadic in round % 2 == 1 ? [false, true] : new[] { true, false })
            {
                var result = await RunOnceAsync(sporadic).ConfigureAwait(false);
                (sporadic ? with : without).Add(result);
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {round} | {(sporadic ? "with 030003s" : "without")} | {result.Succeeded} ({(double)result.Succeeded / Sends:P1}) | {Sends - result.Succeeded}: {result.FailedAsRateLimit} / {result.AtDeadline} / {Sends - result.Succeeded - result.FailedAsRateLimit - result.AtDeadline} | {result.Requests} | {result.RateLimited} | {result.Wall.TotalSeconds:0.00} s |"));
            }
        }

        var shareWithout = without.Average(r => (double)r.Succeeded / Sends);
        var shareWith = with.Average(r => (double)r.Succeeded / Sends);
        var verdict = new Verdict(
            FormattableString.Invariant($"succeeds as often with sporadic 030003s as without (mean {shareWith:P1} vs {shareWithout:P1}, tolerance {Tolerance * 100:0} points)"),
            shareWith >= shareWithout - Tolerance);
        output.WriteLine();
        output.WriteLine(FormattableString.Invariant(
            $"wall time, mean: {with.Average(r => r.Wall.TotalSeconds):0.0} s with the 030003s, {without.Average(r => r.Wall.TotalSeconds):0.0} s without (no budget; for the record)"));
        output.WriteLine($"- {verdict}");
        return verdict.Met;
    }

    private static async Task<SoakResult> RunOnceAsync(bool sporadic)
    {
        using var simulator = InteractionsSimulator.Start();
        await using var services = LoadClients.Ours(simulator.BaseAddress);
        var client = services.Client();
        await Burst.WarmUpAsync([client]).ConfigureAwait(false);
        simulator.Reset();
        if (sporadic)
        {
            simulator.RateLimit(InteractionsRateLimitModel.Sporadic(SporadicShare, TimeSpan.FromSeconds(1), Seed).WithStatusCode(429));
        }

        var random = new Random(Seed);
        var forms = CatalogForms;
        var plan = Enumerable.Range(0, Sends).Select(_ => (Draw: random.NextDouble(), Code: FaultCodes[random.Next(FaultCodes.Length)], Form: forms[random.Next(forms.Length)])).ToArray();
        var succeeded = 0;
        var failedAsRateLimit = 0;
        var atDeadline = 0;
        var next = -1;
        using var deadline = new CancellationTokenSource(Deadline);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Sends)
            {
                var (draw, code, form) = plan[i];
                if (draw < ErrorShare)
                {
                    simulator.FailNext(1, code, form);
                }
                else if (draw < ErrorShare + SlowShare)
                {
                    simulator.DelayNext(1, Slow);
                }
                else if (draw < ErrorShare + SlowShare + DroppedShare)
                {
                    simulator.ResetNext(1);
                }

                try
                {
                    using var content = new StringContent($$"""{"to":"+1555020{{i % 10}}","text":"soak"}""");
                    using var response = await client.PostAsync("v1/messages", content, deadline.Token).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref succeeded);
                    }
                }
                catch (InteractionsRateLimitException)
                {
                    Interlocked.Increment(ref failedAsRateLimit);
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested)
                {
                    Interlocked.Increment(ref atDeadline);
                }
                catch (Exception ex) when (ex is HttpRequestException or Polly.ExecutionRejectedException or OperationCanceledException)
                {
                    // Failed for another reason: a fail-fast code, retries spent, the deadline.
                }
            }
        }))).ConfigureAwait(false);
        clock.Stop();
        return new SoakResult(succeeded, failedAsRateLimit, atDeadline, simulator.RequestCount, simulator.RateLimitedCount, clock.Elapsed);
    }

    private sealed record SoakResult(int Succeeded, int FailedAsRateLimit, int AtDeadline, int Requests, int RateLimited, TimeSpan Wall);
}
