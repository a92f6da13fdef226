using System.Net;
using System.Net.Http.Headers;
using Interactions.Resilience.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Interactions.Resilience.Tests.Credentials;

/// <summary>Credential refresh after 020001: one refresh, one replay.</summary>
[Collection(SerialFakeTime.Name)]
public class CredentialRefreshTests
{
    [Fact]
    public async Task CredentialRefresh_ConcurrentExpiries_ShareOneRefresh_AndEachRequestReplaysOnce()
    {
        var refresher = new CountingRefresher();
        using var harness = new HandlerHarness(services: s => s.AddSingleton<IInteractionsCredentialRefresher>(refresher));
        harness.Server.Default = (request, _) => Task.FromResult(request.Headers.Authorization?.Parameter == "new"
            ? StubServer.Ok()
            : StubServer.Error(InteractionsErrorCode.TokenExpired, 401));

        var calls = Enumerable.Range(0, 10).Select(_ => harness.Client.SendAsync(WithToken("old"))).ToArray();
        await harness.AdvanceAsync(TimeSpan.FromMilliseconds(100));
        refresher.Complete("new");
        var responses = await harness.RunAsync(Task.WhenAll(calls));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, refresher.Calls);
        Assert.Equal(20, harness.Server.CallCount);
    }

    [Fact]
    public async Task CredentialRefresh_StillExpiredAfterReplay_FailsWithoutASecondRefresh()
    {
        var refresher = new CountingRefresher();
        refresher.Complete("still-bad");
        using var harness = new HandlerHarness(services: s => s.AddSingleton<IInteractionsCredentialRefresher>(refresher));
        harness.Server.Default = (_, _) => Task.FromResult(StubServer.Error(InteractionsErrorCode.TokenExpired, 401));

        var ex = await harness.RunAndCatchAsync<InteractionsAuthenticationException>(harness.Client.SendAsync(WithToken("old")));

        Assert.Equal(InteractionsErrorCode.TokenExpired, ex.Code);
        Assert.Equal(2, ex.Attempts);
        Assert.Equal(1, refresher.Calls);
    }

    [Fact]
    public async Task CredentialRefresh_RefresherFails_Surfaces020001WithTheCause()
    {
        var refresher = new CountingRefresher();
        refresher.Fail(new InvalidOperationException("identity provider down"));
        using var harness = new HandlerHarness(services: s => s.AddSingleton<IInteractionsCredentialRefresher>(refresher));
        harness.Server.Default = (_, _) => Task.FromResult(StubServer.Error(InteractionsErrorCode.TokenExpired, 401));

        var ex = await harness.RunAndCatchAsync<InteractionsAuthenticationException>(harness.Client.SendAsync(WithToken("old")));

        Assert.Equal(InteractionsErrorCode.TokenExpired, ex.Code);
        Assert.Equal(1, harness.Server.CallCount);
        Assert.IsType<InvalidOperationException>(ex.InnerException);
    }

    [Fact]
    public async Task TokenExpired_WithoutRefresher_FailsFast()
    {
        using var harness = new HandlerHarness();
        harness.Server.Default = (_, _) => Task.FromResult(StubServer.Error(InteractionsErrorCode.TokenExpired, 401));

        var ex = await harness.RunAndCatchAsync<InteractionsAuthenticationException>(harness.Client.SendAsync(WithToken("old")));

        Assert.Equal(1, ex.Attempts);
        Assert.Equal(1, harness.Server.CallCount);
    }

    private static HttpRequestMessage WithToken(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = new StringContent("{}") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private sealed class CountingRefresher : IInteractionsCredentialRefresher
    {
        private readonly TaskCompletionSource<AuthenticationHeaderValue> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public int Calls => _calls;

        public void Complete(string token) => _next.TrySetResult(new AuthenticationHeaderValue("Bearer", token));

        public void Fail(Exception exception) => _next.TrySetException(exception);

        public async ValueTask<AuthenticationHeaderValue> RefreshAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return await _next.Task.ConfigureAwait(false);
        }
    }
}
