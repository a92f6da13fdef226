using Interactions.Resilience.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Interactions.Resilience.Benchmarks.Load;

/// <summary>
/// One burst against one server model: a fresh simulator, <c>instances</c> fresh service providers of the contender
/// (one for the zoo; several, each with its own client, for a fleet that shares the simulator's one quota), a
/// warm-up request through each, then the model in force and the burst.
/// </summary>
internal static class ModelRun
{
    public static async Task<LoadResult> RunAsync(ZooModel model, Contender contender, int instances, string label)
    {
        using var simulator = InteractionsSimulator.Start();
        var providers = new List<ServiceProvider>(instances);
        try
        {
            for (var i = 0; i < instances; i++)
            {
                providers.Add(contender.Build(simulator.BaseAddress));
            }

            var clients = providers.Select(p => p.Client()).ToList();
            await Burst.WarmUpAsync(clients).ConfigureAwait(false);
            simulator.Reset();
            if (model.Server is { } server)
            {
                simulator.RateLimit(server);
            }

            return await Burst.RunAsync(label, simulator, clients, ZooWork.Senders, ZooWork.SendsPerSender).ConfigureAwait(false);
        }
        finally
        {
            foreach (var provider in providers)
            {
                await provider.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
