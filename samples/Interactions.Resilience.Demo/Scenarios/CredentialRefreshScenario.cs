using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;

namespace Interactions.Resilience.Demo.Scenarios;

/// <summary>Ten concurrent requests find the token expired: one refresh, ten replays.</summary>
internal sealed class CredentialRefreshScenario : IScenario
{
    private const int Sends = 10;
    private int _refreshes;

    public string Name => "credential-refresh";

    public string Summary => "10 concurrent 020001 Token Expired: one credential refresh, every send replayed once.";

    public string Description =>
        "This scenario builds a client of its own (a separate ServiceCollection with AddInteractionsResilience(…), same simulator) "
        + "and registers an IInteractionsCredentialRefresher there, which the app's appsettings.json client has none of. "
        + $"{Sends} sends start at once with an old token and the server answers each 020001 Token Expired (the simulator does not "
        + "check tokens: it is scripted to). The handler calls the refresher once — the concurrent expiries share it — sets the new "
        + $"Authorization header and replays each send once: the server sees {Sends * 2} requests, the app {Sends} successes.";

    public async Task RunAsync(ScenarioContext context)
    {
        var refresher = new CountingRefresher();
        using var client = new ScenarioClient(
            context.Simulator.BaseAddress,
            _ => { },
            services => services.AddSingleton<IInteractionsCredentialRefresher>(refresher));
        var app = client.App(h => h.Authorization = new AuthenticationHeaderValue("Bearer", "expired-token"));
        context.Simulator.FailNext(Sends, InteractionsErrorCode.TokenExpired);

        context.Status($"{Sends} concurrent sends with an expired token…");
        await Task.WhenAll(Enumerable.Range(1, Sends).Select(i =>
            context.SendWithAsync(app, $"send {i}", $"+1555010{i % 10}", $"Reminder {i}")));

        _refreshes = refresher.Calls;
        context.Note($"The refresher was called {_refreshes} time(s) for {Sends} expiries.");
    }

    public IEnumerable<string?> Check(ScenarioResult result)
    {
        yield return Expect.Requests(result, Sends * 2);
        yield return result.Requests.Count(r => r.ErrorCode == InteractionsErrorCode.TokenExpired) == Sends
            ? null
            : $"expected {Sends} answers 020001";
        yield return _refreshes == 1 ? null : $"expected one refresh; the refresher was called {_refreshes} times";
        foreach (var call in result.Calls)
        {
            yield return Expect.Success(call);
        }
    }

    private sealed class CountingRefresher : IInteractionsCredentialRefresher
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public async ValueTask<AuthenticationHeaderValue> RefreshAsync(CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref _calls);
            await Task.Delay(100, cancellationToken); // a token endpoint's round trip
            return new AuthenticationHeaderValue("Bearer", $"fresh-token-{call}");
        }
    }
}
