using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Interactions.Resilience.Redis.Tests.TestSupport;

/// <summary>
/// A real <c>redis-server</c>, started as a child process on a free loopback port with no persistence, and
/// killed at the end. Tests kill and restart it to play a Redis outage.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(10);

    private readonly string _binary;
    private Process? _process;

    public RedisServer()
    {
        _binary = RedisAvailability.RequireBinary();
        Port = FreePort();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill(); // no stray server if the test host stops early
        Start();
    }

    public int Port { get; }

    /// <summary>Gets a StackExchange.Redis connection string for the server; quick to notice an outage.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Kills the server at once, as a crash would: no goodbye to its clients.</summary>
    public void Kill()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
            _process = null;
        }
    }

    /// <summary>Starts the server again on the same port, empty (it keeps nothing on disk).</summary>
    public void Start()
    {
        if (IsRunning)
        {
            return;
        }

        var start = new ProcessStartInfo(_binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {_binary}.");
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = Stopwatch.StartNew();
        while (!Pings())
        {
            if (process.HasExited || deadline.Elapsed > ReadyTimeout)
            {
                Kill();
                lock (output)
                {
                    throw new InvalidOperationException($"redis-server on port {Port} did not answer PING within {ReadyTimeout.TotalSeconds} s. Its output:\n{output}");
                }
            }

            Thread.Sleep(25);
        }
    }

    public void Dispose() => Kill();

    private bool Pings()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            using var stream = client.GetStream();
            stream.ReadTimeout = 1000;
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            var read = stream.Read(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
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
