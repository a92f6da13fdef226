using Consumer;
using Interactions.Resilience;
using Interactions.Resilience.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The install story, run by CI against the packed packages: register from configuration, send one request that
// succeeds and one that fails, and check what the app sees. Exit code 0 when all holds.
await using var simulator = InteractionsSimulator.Start();

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddHttpClient<MessagesClient>(c => c.BaseAddress = simulator.BaseAddress)
    .AddInteractionsResilience(builder.Configuration.GetSection("Interactions:Resilience"));

using var host = builder.Build();
await host.StartAsync(); // validates the settings
var messages = host.Services.GetRequiredService<MessagesClient>();
var failures = new List<string>();

var id = await messages.SendAsync("+4915112345678", "hello");
Check(id.StartsWith("msg_", StringComparison.Ordinal), $"the OK send returned '{id}'");
Check(simulator.RequestCount == 1, $"the OK send cost {simulator.RequestCount} calls, not 1");

simulator.FailNext(1, InteractionsErrorCode.TemplateIsPaused);
try
{
    await messages.SendAsync("+4915112345678", "hello again");
    failures.Add("031006 did not throw");
}
catch (InteractionsTemplateException ex) when (ex.Code == InteractionsErrorCode.TemplateIsPaused)
{
    Check(ex.Attempts == 1, $"031006 was sent {ex.Attempts} times, not once");
    Check(ex.FormattedCode == "031006", $"FormattedCode is {ex.FormattedCode}");
}

Check(simulator.RequestCount == 2, $"the server got {simulator.RequestCount} calls, not 2");

// Redis coordination, registered only: building it needs no Redis server.
var coordinated = new ServiceCollection();
coordinated.AddHttpClient("sms", c => c.BaseAddress = simulator.BaseAddress)
    .AddInteractionsResilience()
    .WithRedisCoordination("localhost:6379", o => o.KeyPrefix = "consumer:interactions:pause:");
Check(coordinated.Count > 0, "WithRedisCoordination registered nothing");

await host.StopAsync();
foreach (var failure in failures)
{
    Console.Error.WriteLine($"consumer: {failure}");
}

Console.WriteLine(failures.Count == 0 ? "consumer: OK" : $"consumer: {failures.Count} check(s) failed");
return failures.Count == 0 ? 0 : 1;

void Check(bool condition, string failure)
{
    if (!condition)
    {
        failures.Add(failure);
    }
}
