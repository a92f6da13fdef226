using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Interactions.Resilience.Benchmarks;

/// <summary>
/// A Kestrel server on <c>127.0.0.1</c> and a free port, in the benchmark's own process, that answers every GET and
/// POST to <c>/v1/messages</c> with 200 and a small JSON body: the primary of the <see cref="PrimaryKind.Kestrel"/> rows.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private static readonly byte[] AcceptedBody = """{"id":"msg_benchmark","status":"accepted"}"""u8.ToArray();

    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, Uri messagesUri)
    {
        _app = app;
        MessagesUri = messagesUri;
    }

    /// <summary>The absolute address of <c>/v1/messages</c> on the bound port.</summary>
    public Uri MessagesUri { get; }

    public static async Task<LoopbackServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders(); // a log line per request would be measured with every row

        var app = builder.Build();
        app.MapGet("/v1/messages", static () => Results.Bytes(AcceptedBody, "application/json"));
        app.MapPost("/v1/messages", static () => Results.Bytes(AcceptedBody, "application/json"));
        await app.StartAsync().ConfigureAwait(false);

        // Port 0 lets the OS choose; Kestrel writes the address it bound back into the feature.
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new LoopbackServer(app, new Uri(new Uri(address), "/v1/messages"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
