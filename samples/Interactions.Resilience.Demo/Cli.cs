namespace Interactions.Resilience.Demo;

/// <summary>Plain error lines on standard error, so that they survive a redirected standard output.</summary>
internal static class Cli
{
    public static int UsageError(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        Console.Error.WriteLine("Run with --help to see the commands.");
        return ExitCodes.Usage;
    }

    public static void Error(string message) => Console.Error.WriteLine($"error: {message}");
}
