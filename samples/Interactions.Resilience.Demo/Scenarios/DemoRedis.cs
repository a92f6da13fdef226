using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Interactions.Resilience.Demo.Scenarios;

/// <summary>
/// The Redis the <c>two-instances</c> scenario uses: the connection string in <c>INTERACTIONS_REDIS</c>, or else a
/// <c>redis-server</c> from PATH started on a free loopback port with no persistence (as the Redis tests do) and
/// killed afterwards. Neither: the scenario is skipped.
/// </summary>
internal sealed class DemoRedis : IDisposable
{
    public const string EnvironmentVariable = "INTERACTIONS_REDIS";

    public const string InstallHint =
        "no Redis: install redis-server (`apt-get install -y redis-server`; the demo starts its own on a free loopback port) "
        + "or set INTERACTIONS_REDIS to a connection string, e.g. INTERACTIONS_REDIS=localhost:6379";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(5);

    private readonly Process? _process;

    private DemoRedis(string connectionString, Process? process, string source)
    {
        ConnectionString = connectionString;
        _process = process;
        Source = source;
    }

    public string ConnectionString { get; }

    /// <summary>Gets where the connection comes from, for the scenario's notes.</summary>
    public string Source { get; }

    /// <summary>Gets whether the scenario can run: a connection string is given or <c>redis-server</c> is on PATH.</summary>
    public static bool IsAvailable => Given is not null || Binary is not null;

    private static string? Given => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : null;

    private static string? Binary => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(directory => Path.Combine(directory, "redis-server"))
        .FirstOrDefault(File.Exists);

    /// <summary>Connects to the given Redis or starts one; <see langword="null"/> when neither is possible.</summary>
    public static async Task<DemoRedis?> StartAsync(CancellationToken cancellationToken)
    {
        if (Given is { } given)
        {
            return new DemoRedis(given, null, $"{EnvironmentVariable}={given}");
        }

        if (Binary is not { } binary)
        {
            return null;
        }

        var port = FreePort();
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {binary}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var redis = new DemoRedis($"127.0.0.1:{port}", process, $"{binary} on 127.0.0.1:{port}, started for this scenario");

        var waited = Stopwatch.StartNew();
        while (!await PingsAsync(port, cancellationToken))
        {
            if (process.HasExited || waited.Elapsed > ReadyTimeout)
            {
                redis.Dispose();
                throw new InvalidOperationException($"{binary} on port {port} did not answer PING within {ReadyTimeout.TotalSeconds} s.");
            }

            await Task.Delay(25, cancellationToken);
        }

        return redis;
    }

    public void Dispose()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
        }
    }

    private static async Task<bool> PingsAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            await using var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
            var buffer = new byte[16];
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(1));
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
