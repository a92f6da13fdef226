using Interactions.Resilience;

// Placeholder until the simulator and scenarios land: prints the catalog with each code's policy.
foreach (var entry in InteractionsErrorCatalog.All)
{
    Console.WriteLine($"{entry.FormattedCode}  {entry.Category,-15} {entry.DefaultPolicy,-13} {entry.Title}");
}
