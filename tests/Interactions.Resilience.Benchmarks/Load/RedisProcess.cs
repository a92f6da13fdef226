using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Interactions.Resilience.Benchmarks.Load;

/// <summary>
/// A real <c>redis-server</c> from PATH for the fleet, started on a free loopback port with no persistence and
/// killed when disposed (as <c>tests/Interactions.Resilience.Redis.Tests/TestSupport/RedisServer</c> does).
/// </summary>
internal sealed class RedisProcess : IDisposable
{
    public const string InstallHint = "install it with `apt-get install -y redis-server` (the fleet starts its own redis-server on a free loopback port and stops it)";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;

    private RedisProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Gets a StackExchange.Redis connection string for the server.</summary>
    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port},connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000");

    /// <summary>Gets the <c>redis-server</c> on PATH, or <see langword="null"/>.</summary>
    public static string? Binary { get; } = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(directory => Path.Combine(directory, "redis-server"))
        .FirstOrDefault(File.Exists);

    /// <summary>Starts a server and waits until it answers PING.</summary>
    public static async Task<RedisProcess> StartAsync(string binary)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--protected-mode", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {binary}.");
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var redis = new RedisProcess(process, port);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => redis.Dispose(); // no stray server if the run is stopped

        var waited = Stopwatch.StartNew();
        while (!await PingsAsync(port).ConfigureAwait(false))
        {
            if (process.HasExited || waited.Elapsed > ReadyTimeout)
            {
                redis.Dispose();
                lock (output)
                {
                    throw new InvalidOperationException($"redis-server on port {port} did not answer PING within {ReadyTimeout.TotalSeconds} s. Its output:\n{output}");
                }
            }

            await Task.Delay(25).ConfigureAwait(false);
        }

        return redis;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static async Task<bool> PingsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
            using var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray()).ConfigureAwait(false);
            var buffer = new byte[16];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            var read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
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
