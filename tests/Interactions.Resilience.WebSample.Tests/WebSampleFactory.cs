using System.Net.Http.Json;
using System.Text.Json;
using Interactions.Resilience.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Interactions.Resilience.WebSample.Tests;

/// <summary>
/// The web sample, started in-process as its Program.cs starts it (configuration from its appsettings.json,
/// the embedded simulator on a real loopback port), with extra services for a test.
/// </summary>
public sealed class WebSampleFactory(Action<IServiceCollection>? services = null) : WebApplicationFactory<Program>
{
    public InteractionsSimulator Simulator => Services.GetRequiredService<InteractionsSimulator>();

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
        => await response.Content.ReadFromJsonAsync<JsonElement>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        if (services is not null)
        {
            builder.ConfigureServices(services);
        }
    }
}
