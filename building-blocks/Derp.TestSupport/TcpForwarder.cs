using System.Net;
using System.Net.Sockets;

namespace Derp.TestSupport;

/// <summary>
/// A loopback TCP forwarder a test puts between a service and a shared server (RabbitMQ, PostgreSQL) so it can cut
/// that one service's connections — an outage for the service under test — without stopping the machine-wide
/// server every other test and platform copy uses.
/// </summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<TcpClient> _open = [];
    private volatile bool _cut;
    private volatile TaskCompletionSource _flowing = Flowing();

    public TcpForwarder(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    /// <summary>For an URI such as <c>amqp://guest:guest@127.0.0.1:5672/vhost</c>: forwards to its host and port.</summary>
    public static TcpForwarder For(Uri server) => new(server.Host, server.Port);

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary><paramref name="server"/> with its port replaced by this forwarder's.</summary>
    public string Rewrite(string server) => new UriBuilder(server) { Host = "127.0.0.1", Port = Port }.Uri.ToString();

    /// <summary>Drops every open connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _cut = true;
        lock (_gate)
        {
            foreach (var client in _open)
                client.Dispose();
            _open.Clear();
        }
    }

    public void Restore() => _cut = false;

    /// <summary>Keeps every connection open but stops passing bytes: the server as seen when it hangs.</summary>
    public void Pause()
    {
        if (_flowing.Task.IsCompleted)
            _flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Resume() => _flowing.TrySetResult();

    private static TaskCompletionSource Flowing()
    {
        var flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        flowing.SetResult();
        return flowing;
    }

    private async Task PumpAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await _flowing.Task.WaitAsync(cancellationToken);
            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient inbound;
            try { inbound = await _listener.AcceptTcpClientAsync(_stopping.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            if (_cut)
            {
                inbound.Dispose();
                continue;
            }
            _ = ForwardAsync(inbound);
        }
    }

    private async Task ForwardAsync(TcpClient inbound)
    {
        var outbound = new TcpClient();
        try
        {
            await outbound.ConnectAsync(_targetHost, _targetPort, _stopping.Token);
            lock (_gate)
            {
                _open.Add(inbound);
                _open.Add(outbound);
            }
            using var pumping = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            var up = PumpAsync(inbound.GetStream(), outbound.GetStream(), pumping.Token);
            var down = PumpAsync(outbound.GetStream(), inbound.GetStream(), pumping.Token);
            await Task.WhenAny(up, down);
            await pumping.CancelAsync();
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // a cut or a closed peer: both sides are closed below
        }
        finally
        {
            lock (_gate)
            {
                _open.Remove(inbound);
                _open.Remove(outbound);
            }
            inbound.Dispose();
            outbound.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Resume();
        await _stopping.CancelAsync();
        _listener.Stop();
        Cut();
        _stopping.Dispose();
    }
}
