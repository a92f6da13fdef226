using Microsoft.Extensions.DependencyInjection;

namespace Interactions.Resilience.Benchmarks.Load;

/// <summary>A registration under test: how one instance of the app builds its client's service provider.</summary>
internal sealed record Contender(string Name, Func<Uri, ServiceProvider> Build)
{
    public static Contender Ours { get; } = new(LoadClients.Interactions, LoadClients.Ours);

    public static Contender PatientStandard { get; } = new(LoadClients.Standard + " (30 retries, breaker off)", static u => LoadClients.TheStandard(u, patient: true));
}
