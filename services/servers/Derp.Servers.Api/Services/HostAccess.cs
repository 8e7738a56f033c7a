using Derp.Servers.Api.Hosts;
using Derp.Servers.Api.Model;
using Derp.ServiceDefaults.Security;

namespace Derp.Servers.Api.Services;

/// <summary>Opens a host's Docker engine: decrypts its SSH key (in memory only) and reuses the host's tunnel.</summary>
public sealed class HostAccess(HostConnections connections, SshClient ssh, SecretProtector secrets)
{
    public SshTarget Target(Server server) =>
        new(server.Id, server.Name, server.SshHost, server.SshPort, server.SshUser, secrets.Unprotect(server.SshPrivateKeyProtected), server.HostKey);

    /// <summary>
    /// Runs an engine call; when the call lost its connection the tunnel is dropped so the next call starts afresh. An
    /// error the engine answered keeps the tunnel: dropping it would break every other call in flight to the host (a
    /// crowd's relays start side by side over it).
    /// </summary>
    public async Task<T> WithDockerAsync<T>(Server server, Func<DockerEngineClient, Task<T>> call, CancellationToken cancellationToken)
    {
        var docker = await connections.DockerAsync(Target(server), server.DockerSocket, cancellationToken);
        try
        {
            return await call(docker);
        }
        catch (HostException e) when (e.ConnectionLost)
        {
            connections.Forget(server.Id);
            throw;
        }
    }

    public Task WithDockerAsync(Server server, Func<DockerEngineClient, Task> call, CancellationToken cancellationToken) =>
        WithDockerAsync(server, async docker => { await call(docker); return true; }, cancellationToken);

    public Task<TimeSpan> PingAsync(Server server, CancellationToken cancellationToken) => ssh.PingAsync(Target(server), cancellationToken);

    public void Forget(Guid serverId) => connections.Forget(serverId);
}
