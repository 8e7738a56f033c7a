using Derp.Contracts.Servers;
using Derp.Servers.Api.Infrastructure;
using Derp.Servers.Api.Model;
using Derp.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Derp.Servers.Api.Services;

/// <summary>
/// Seed 002 §3: removing a host moves its renters first. Each affected renter gets a relay on another eligible host
/// (and is announced the new set, so acl makes a new policy and users mails them), then the old relays are removed;
/// when the host is empty it is removed and <c>ServerRemoved</c> is published.
/// </summary>
public sealed class Drainer(ServersContext db, Provisioner provisioner, HostAccess hosts, TimeProvider clock, ILogger<Drainer> logger)
{
    public async Task DrainAsync(Guid serverId, CancellationToken cancellationToken)
    {
        var server = await db.Servers.SingleOrDefaultAsync(s => s.Id == serverId && s.Status == ServerStatuses.Draining, cancellationToken);
        if (server is null)
            return;
        var affected = await db.Containers.Where(c => c.ServerId == serverId && ContainerStates.Live.Contains(c.State))
            .Select(c => c.UserId).Distinct().ToListAsync(cancellationToken);
        foreach (var userId in affected)
        {
            await provisioner.EnsureProvisionedAsync(userId, ProvisioningReasons.HostRemoved, cancellationToken);
            await provisioner.ForEachLiveAsync(userId, c => c.ServerId == serverId ? provisioner.RemoveAsync(c, cancellationToken) : Task.CompletedTask,
                cancellationToken);
            logger.LogInformation("Moved renter {UserId} off {Server}", userId, server.Name);
        }

        // Renters moved in an earlier, interrupted run are announced in ServerRemoved too.
        var everyone = await db.Containers.Where(c => c.ServerId == serverId).Select(c => c.UserId).Distinct().ToListAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Entry(server).ReloadAsync(cancellationToken);
        if (server.Status != ServerStatuses.Draining || await db.Containers.AnyAsync(c => c.ServerId == serverId && ContainerStates.Live.Contains(c.State), cancellationToken))
            return;
        var now = clock.GetUtcNow();
        server.Status = ServerStatuses.Removed;
        server.RemovedAt = now;
        db.AddIntegrationEvent(new ServerRemoved(server.Id, server.Name, everyone, now), clock);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        hosts.Forget(server.Id);
        logger.LogInformation("Host {Server} removed after moving {Count} renters", server.Name, everyone.Count);
    }
}
