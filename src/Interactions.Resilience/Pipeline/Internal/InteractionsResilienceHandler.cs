namespace Interactions.Resilience.Pipeline.Internal;

/// <summary>
/// The delegating handler that <c>AddInteractionsResilience()</c> adds: it hands every request to its client's
/// <see cref="RequestPipeline"/>, which reads as the request's way through.
/// </summary>
internal sealed class InteractionsResilienceHandler : DelegatingHandler
{
    private readonly RequestPipeline _pipeline;
    private readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> _sendToInner;
    private readonly Func<HttpRequestMessage, CancellationToken, HttpResponseMessage> _sendToInnerSync;

    public InteractionsResilienceHandler(RequestPipeline pipeline)
    {
        _pipeline = pipeline;
        _sendToInner = base.SendAsync;
        _sendToInnerSync = base.Send;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _pipeline.SendAsync(request, _sendToInner, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _pipeline.Send(request, _sendToInnerSync, _sendToInner, cancellationToken);
    }
}
