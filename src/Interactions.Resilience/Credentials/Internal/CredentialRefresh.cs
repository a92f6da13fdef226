using System.Net.Http.Headers;

namespace Interactions.Resilience.Credentials.Internal;

/// <summary>
/// One refresh of the credentials however many requests hit 020001 together: a request that was sent before
/// the last refresh replays with its result; the others share the refresh in flight.
/// </summary>
internal sealed class CredentialRefresh
{
    private readonly IInteractionsCredentialRefresher _refresher;
    private readonly object _lock = new();
    private Task<AuthenticationHeaderValue>? _inFlight;
    private AuthenticationHeaderValue? _current;
    private int _generation;

    public CredentialRefresh(IInteractionsCredentialRefresher refresher) => _refresher = refresher;

    /// <summary>Gets how many refreshes completed; a request notes it when it is sent.</summary>
    public int Generation => Volatile.Read(ref _generation);

    public Task<AuthenticationHeaderValue> RefreshAsync(int generationWhenSent, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_generation != generationWhenSent && _current is { } fresher)
            {
                return Task.FromResult(fresher); // refreshed since this request left
            }

            var refresh = _inFlight;
            if (refresh is null)
            {
                refresh = RunAsync();
                if (!refresh.IsCompleted)
                {
                    _inFlight = refresh; // RunAsync clears it when done
                }
            }

            return refresh.WaitAsync(cancellationToken);
        }
    }

    private async Task<AuthenticationHeaderValue> RunAsync()
    {
        try
        {
            var header = await _refresher.RefreshAsync(CancellationToken.None).ConfigureAwait(false);
            lock (_lock)
            {
                _current = header;
                _generation++;
            }

            return header;
        }
        finally
        {
            lock (_lock)
            {
                _inFlight = null;
            }
        }
    }
}
