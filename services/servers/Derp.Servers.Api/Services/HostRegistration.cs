using Derp.Servers.Api.Hosts;
using Derp.Servers.Api.Model;
using Derp.ServiceDefaults.Security;

namespace Derp.Servers.Api.Services;

/// <summary>
/// Checks a host before it is saved: its SSH key must have the pinned fingerprint, and its Docker engine must answer
/// over a tunnel made with the given private key.
/// </summary>
public sealed class HostRegistration(SshClient ssh, HostConnections connections, SecretProtector secrets)
{
    public async Task<(string HostKey, string EngineVersion)> VerifyAsync(Server server, string privateKey, CancellationToken cancellationToken)
    {
        var hostKey = await ssh.FetchPinnedHostKeyAsync(server.Name, server.SshHost, server.SshPort, server.HostKeyFingerprint, cancellationToken);
        var target = new SshTarget(server.Id, server.Name, server.SshHost, server.SshPort, server.SshUser, privateKey, hostKey);
        try
        {
            var docker = await connections.DockerAsync(target, server.DockerSocket, cancellationToken);
            await docker.PingAsync(cancellationToken);
            return (hostKey, await docker.VersionAsync(cancellationToken));
        }
        catch (HostException)
        {
            connections.Forget(server.Id);
            throw;
        }
    }

    public string Protect(string privateKey) => secrets.Protect(privateKey);

    public string Unprotect(string protectedKey) => secrets.Unprotect(protectedKey);
}
