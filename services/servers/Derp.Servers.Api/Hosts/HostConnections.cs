using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using Derp.Servers.Api.Services;
using Microsoft.Extensions.Options;

namespace Derp.Servers.Api.Hosts;

/// <summary>
/// One SSH tunnel per host to its Docker socket, kept open and reused by every call (HTTP connections are pooled
/// over it); a dead tunnel is replaced on the next call.
/// </summary>
public sealed class HostConnections(SshClient ssh, IOptions<ServersOptions> options, ILogger<HostConnections> logger) : IDisposable
{
    private sealed record Tunnel(Process Process, string Signature, DockerEngineClient Docker, HttpClient Http);

    private readonly ConcurrentDictionary<Guid, Tunnel> _tunnels = new();
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _locks = new();

    public async Task<DockerEngineClient> DockerAsync(SshTarget target, string remoteSocket, CancellationToken cancellationToken)
    {
        var signature = $"{target.Host}:{target.Port}:{target.User}:{target.HostKey}:{remoteSocket}:{target.PrivateKey.GetHashCode(StringComparison.Ordinal)}";
        if (_tunnels.TryGetValue(target.ServerId, out var open) && !open.Process.HasExited && open.Signature == signature)
            return open.Docker;

        var gate = _locks.GetOrAdd(target.ServerId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (_tunnels.TryGetValue(target.ServerId, out open) && !open.Process.HasExited && open.Signature == signature)
                return open.Docker;
            Forget(target.ServerId);
            var directory = ssh.PrepareFiles(target);
            var socket = Path.Combine(directory, "docker.sock");
            var process = ssh.StartTunnel(target, directory, socket, remoteSocket);
            var deadline = Stopwatch.GetTimestamp();
            while (!File.Exists(socket))
            {
                if (process.HasExited)
                {
                    var error = (await process.StandardError.ReadToEndAsync(cancellationToken)).Trim();
                    process.Dispose();
                    throw new HostException(target.Name, "ssh tunnel", error.Length > 0 ? error : $"ssh exited with {process.ExitCode}",
                        error.Contains("Host key verification failed", StringComparison.Ordinal));
                }
                if (Stopwatch.GetElapsedTime(deadline) > options.Value.SshConnectTimeout + TimeSpan.FromSeconds(2))
                {
                    process.Kill(entireProcessTree: true);
                    process.Dispose();
                    throw new HostException(target.Name, "ssh tunnel", "timed out waiting for the forwarded Docker socket");
                }
                await Task.Delay(25, cancellationToken);
            }
            var http = new HttpClient(new SocketsHttpHandler
            {
                ConnectCallback = async (_, token) =>
                {
                    var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    try
                    {
                        await unix.ConnectAsync(new UnixDomainSocketEndPoint(socket), token);
                        return new NetworkStream(unix, ownsSocket: true);
                    }
                    catch
                    {
                        unix.Dispose();
                        throw;
                    }
                },
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            })
            {
                BaseAddress = new Uri("http://docker/v1.41/"),
                Timeout = options.Value.DockerTimeout,
            };
            var tunnel = new Tunnel(process, signature, new DockerEngineClient(http, target.Name), http);
            _tunnels[target.ServerId] = tunnel;
            logger.LogInformation("Opened the Docker tunnel to {Host}", target.Name);
            return tunnel.Docker;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Closes a host's tunnel (after an error, or when the host is removed): the next call opens a new one.</summary>
    public void Forget(Guid serverId)
    {
        if (!_tunnels.TryRemove(serverId, out var tunnel))
            return;
        tunnel.Http.Dispose();
        if (!tunnel.Process.HasExited)
            tunnel.Process.Kill(entireProcessTree: true);
        tunnel.Process.Dispose();
    }

    public void Dispose()
    {
        foreach (var serverId in _tunnels.Keys)
            Forget(serverId);
    }
}
