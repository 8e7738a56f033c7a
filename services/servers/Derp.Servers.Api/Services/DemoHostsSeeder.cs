using Derp.Contracts.Servers;
using Derp.Servers.Api.Hosts;
using Derp.Servers.Api.Infrastructure;
using Derp.Servers.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Derp.Servers.Api.Services;

/// <summary>
/// `make up` only: registers this machine as three demo hosts in three regions (loopback sshd instances in front of
/// podman), through the same checks as an admin's registration, so a redeemed serial turns into running relays.
/// </summary>
public sealed class DemoHostsSeeder(IServiceScopeFactory scopes, IOptions<ServersOptions> options, TimeProvider clock, ILogger<DemoHostsSeeder> logger)
    : BackgroundService
{
    private static readonly (string Code, string Name, string Location)[] Regions =
    [
        ("hkg", "Hong Kong", "香港"),
        ("sgp", "Singapore", "新加坡"),
        ("tyo", "Tokyo", "东京"),
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var demo = options.Value.DemoHosts;
        if (!demo.Enabled)
            return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServersContext>();
        var registration = scope.ServiceProvider.GetRequiredService<HostRegistration>();
        var privateKey = await File.ReadAllTextAsync(demo.PrivateKeyPath, stoppingToken);
        var fingerprint = SshClient.Fingerprint((await File.ReadAllTextAsync(demo.HostKeyPath, stoppingToken)).Trim());
        for (var i = 0; i < demo.SshPorts.Count && i < Regions.Length; i++)
        {
            var name = $"demo-{Regions[i].Code}";
            if (await db.Servers.AnyAsync(s => s.Name == name && s.Status != ServerStatuses.Removed, stoppingToken))
                continue;
            var firstPort = demo.FirstPort + i * 1000;
            var server = new Server
            {
                Id = Guid.CreateVersion7(),
                Name = name,
                PublicIp = demo.SshHost,
                HostName = demo.SshHost,
                RegionCode = Regions[i].Code,
                RegionName = Regions[i].Name,
                Location = Regions[i].Location + "（演示）",
                SshHost = demo.SshHost,
                SshPort = demo.SshPorts[i],
                SshUser = demo.SshUser,
                SshPrivateKeyProtected = registration.Protect(privateKey),
                HostKeyFingerprint = fingerprint,
                HostKey = "",
                DockerSocket = demo.DockerSocket,
                Capacity = 50,
                PortRangeStart = firstPort,
                PortRangeEnd = firstPort + 999,
                MonthlyTrafficGb = 1000,
                Status = ServerStatuses.Active,
                CreatedAt = clock.GetUtcNow(),
            };
            try
            {
                (server.HostKey, _) = await registration.VerifyAsync(server, privateKey, stoppingToken);
                db.Servers.Add(server);
                await db.SaveChangesAsync(stoppingToken);
                logger.LogInformation("Registered demo host {Name} on {Host}:{Port}", name, demo.SshHost, demo.SshPorts[i]);
            }
            catch (HostException e)
            {
                logger.LogWarning("Demo host {Name} not registered: {Error}", name, e.Message);
            }
        }
    }
}
