using Interactions.Resilience;
using Interactions.Resilience.Testing;
using Interactions.Resilience.WebSample;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

var builder = WebApplication.CreateBuilder(args);

// The embedded simulator stands in for the vendor; a real app sets its base address from configuration instead.
builder.Services.AddSingleton(_ => InteractionsSimulator.Start());
builder.Services.AddHttpClient<MessagesClient>(MessagesClient.Name, (services, client) => client.BaseAddress = services.GetRequiredService<InteractionsSimulator>().BaseAddress)
    .AddInteractionsResilience(builder.Configuration.GetSection("Interactions:Resilience"));

// One line each: the health check of every Interactions client, and OpenTelemetry over the library's meter.
builder.Services.AddHealthChecks().AddInteractionsResilience();
var telemetry = builder.Services.AddOpenTelemetry()
    .WithMetrics(metrics => metrics.AddMeter(InteractionsTelemetryNames.MeterName).AddHttpClientInstrumentation())
    .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation());
if (builder.Configuration.GetValue<bool>("OpenTelemetry:ConsoleExporter"))
{
    telemetry.WithMetrics(metrics => metrics.AddConsoleExporter()).WithTracing(tracing => tracing.AddConsoleExporter());
}

builder.Services.AddProblemDetails();

var app = builder.Build();
app.Services.GetRequiredService<InteractionsSimulator>(); // started with the app, stopped (disposed) with it

app.MapHealthChecks("/healthz", HealthResponse.Options);
app.MapPost("/send", SampleEndpoints.SendAsync);
app.MapPost("/simulator/fail/{code}", SampleEndpoints.FailNext);
app.MapGet("/pauses", SampleEndpoints.GetPauses);
app.MapDelete("/pauses", SampleEndpoints.LiftAll);

app.Run();

/// <summary>The entry point; public so that tests can start the app with <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
