using Derp.Contracts.Servers;
using Derp.Servers.Api.Hosts;
using Derp.Servers.Api.Infrastructure;
using Derp.Servers.Api.Model;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Derp.Servers.Api.Services;

/// <summary>
/// Brings a renter's relays to where they should be: three running containers on active hosts, announced once.
/// Every step is idempotent (reconciling against the database and the engine), so a redelivered event, a retry
/// after a crash, or the reconcile job repeat nothing that already happened.
/// </summary>
public sealed class Provisioner(
    ServersContext db,
    HostAccess hosts,
    Alerts alerts,
    AdmissionSecret admission,
    TimeProvider clock,
    IOptions<ServersOptions> options,
    ILogger<Provisioner> logger)
{
    private readonly ServersOptions _options = options.Value;

    public async Task EnsureProvisionedAsync(Guid userId, string reason, CancellationToken cancellationToken)
    {
        var failedHosts = new HashSet<Guid>();
        for (var round = 0; round < 10; round++)
        {
            if (!await AllocateAsync(userId, failedHosts, cancellationToken))
                return;
            var pending = await db.Containers.Include(c => c.Server)
                .Where(c => c.UserId == userId && c.State == ContainerStates.Pending).ToListAsync(cancellationToken);
            var anyFailed = false;
            foreach (var container in pending)
            {
                if (!await TryStartOnHostAsync(container, cancellationToken))
                {
                    failedHosts.Add(container.ServerId);
                    anyFailed = true;
                }
            }
            if (!anyFailed)
                break; // otherwise allocate replacements for the failed ones on other hosts
        }
        await AnnounceAsync(userId, reason, cancellationToken);
    }

    /// <summary>
    /// Reserves ports for the relays the renter still lacks, on the least loaded active hosts, one region each while
    /// regions last. False when the renter should have no relays (no active rental, or over quota).
    /// </summary>
    private async Task<bool> AllocateAsync(Guid userId, HashSet<Guid> excludedHosts, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // One placement at a time across replicas: capacity and port choices never race.
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7301)", cancellationToken);
        var renter = await db.Renters.SingleOrDefaultAsync(r => r.UserId == userId, cancellationToken);
        if (renter is null || !renter.Active || renter.Deregistered || renter.OverQuota)
            return false;

        var mine = await db.Containers.Include(c => c.Server)
            .Where(c => c.UserId == userId && ContainerStates.Live.Contains(c.State)).ToListAsync(cancellationToken);
        // Relays on draining or removed hosts are on their way out: they do not count.
        var keeping = mine.Where(c => c.Server!.Status is ServerStatuses.Active or ServerStatuses.Unhealthy).ToList();
        var missing = _options.RelaysPerRenter - keeping.Count;
        if (missing <= 0)
            return true;

        var candidates = await CandidatesAsync(cancellationToken);
        var usedHosts = mine.Select(c => c.ServerId).Concat(excludedHosts).ToHashSet();
        var usedRegions = keeping.Select(c => c.Server!.RegionCode).ToHashSet();
        var chosen = new List<Candidate>();
        foreach (var candidate in candidates.Where(c => !usedHosts.Contains(c.Server.Id)))
        {
            if (chosen.Count == missing)
                break;
            if (usedRegions.Add(candidate.Server.RegionCode))
                chosen.Add(candidate);
        }
        var sameRegion = false;
        foreach (var candidate in candidates.Where(c => !usedHosts.Contains(c.Server.Id) && !chosen.Contains(c)))
        {
            if (chosen.Count == missing)
                break;
            chosen.Add(candidate);
            sameRegion = true;
        }

        var now = clock.GetUtcNow();
        foreach (var candidate in chosen)
        {
            var (derpPort, stunPort) = candidate.FreePorts();
            var id = Guid.CreateVersion7();
            db.Containers.Add(new RelayContainer
            {
                Id = id,
                ServerId = candidate.Server.Id,
                UserId = userId,
                RentalId = renter.RentalId,
                DerpPort = derpPort,
                StunPort = stunPort,
                Name = $"derp-relay-{id:N}",
                State = ContainerStates.Pending,
                CreatedAt = now,
            });
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var total = keeping.Count + chosen.Count;
        if (total < _options.RelaysPerRenter)
            await alerts.RaiseAsync("capacity_short", total == 0 ? AlertSeverities.Critical : AlertSeverities.Warning, $"capacity_short:{userId}",
                $"Renter {userId} has {total} of {_options.RelaysPerRenter} relays: not enough active hosts with free capacity.", null, userId, cancellationToken);
        else if (sameRegion)
            await alerts.RaiseAsync("regions_short", AlertSeverities.Warning, $"regions_short:{userId}",
                $"Renter {userId} has relays sharing a region: fewer than {_options.RelaysPerRenter} regions have capacity.", null, userId, cancellationToken);
        return true;
    }

    private sealed record Candidate(Server Server, HashSet<int> UsedDerpPorts, int Live)
    {
        public double Load => (double)Live / Server.Slots;

        public (int Derp, int Stun) FreePorts()
        {
            for (var derp = Server.PortRangeStart; derp + 1 <= Server.PortRangeEnd; derp += 2)
                if (UsedDerpPorts.Add(derp))
                    return (derp, derp + 1);
            throw new InvalidOperationException($"No free port on {Server.Name}.");
        }
    }

    /// <summary>Active hosts with a free slot, least loaded first.</summary>
    private async Task<List<Candidate>> CandidatesAsync(CancellationToken cancellationToken)
    {
        var servers = await db.Servers.Where(s => s.Status == ServerStatuses.Active).ToListAsync(cancellationToken);
        var ids = servers.Select(s => s.Id).ToList();
        var ports = await db.Containers.Where(c => ids.Contains(c.ServerId) && ContainerStates.Live.Contains(c.State))
            .Select(c => new { c.ServerId, c.DerpPort }).ToListAsync(cancellationToken);
        var byServer = ports.ToLookup(p => p.ServerId, p => p.DerpPort);
        return servers
            .Select(s => new Candidate(s, byServer[s.Id].ToHashSet(), byServer[s.Id].Count()))
            .Where(c => c.Live < c.Server.Slots)
            .OrderBy(c => c.Load).ThenBy(c => c.Live).ThenBy(c => c.Server.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Creates (or finds) and starts one pending container, retrying; false when its host gave up.</summary>
    private async Task<bool> TryStartOnHostAsync(RelayContainer container, CancellationToken cancellationToken)
    {
        var server = container.Server!;
        for (var attempt = 1; attempt <= _options.ProvisionAttempts; attempt++)
        {
            try
            {
                await hosts.WithDockerAsync(server, async docker =>
                {
                    container.DockerId ??= (await docker.InspectAsync(container.Name, cancellationToken))?.Id;
                    if (container.DockerId is null)
                    {
                        await EnsureImageAsync(docker, cancellationToken);
                        container.DockerId = await docker.CreateAsync(Spec(container, server), cancellationToken);
                    }
                    await docker.StartAsync(container.DockerId, cancellationToken);
                }, cancellationToken);
                container.State = ContainerStates.Running;
                container.LastError = null;
                await db.SaveChangesAsync(cancellationToken);
                logger.LogInformation("Relay {Container} for {UserId} runs on {Server} (DERP {DerpPort}, STUN {StunPort})",
                    container.Name, container.UserId, server.Name, container.DerpPort, container.StunPort);
                return true;
            }
            catch (HostException e)
            {
                ServersMetrics.ProvisioningFailures.Add(1);
                container.Attempts++;
                container.LastError = Truncate(e.Message);
                logger.LogWarning("Relay {Container} on {Server}, attempt {Attempt}: {Error}", container.Name, server.Name, attempt, e.Message);
                if (e.HostKeyRejected)
                    break; // a host presenting a different key is not retried
                if (attempt < _options.ProvisionAttempts)
                    await Task.Delay(_options.ProvisionRetryDelay * attempt, cancellationToken);
            }
        }
        container.State = ContainerStates.Failed;
        await db.SaveChangesAsync(cancellationToken);
        await alerts.RaiseAsync("provisioning_failed", AlertSeverities.Warning, $"provisioning_failed:{container.Id}",
            $"Relay for renter {container.UserId} could not start on {server.Name}: {container.LastError}. Placing it on another host.",
            server.Id, container.UserId, cancellationToken);
        return false;
    }

    private async Task EnsureImageAsync(DockerEngineClient docker, CancellationToken cancellationToken)
    {
        if (!await docker.ImageExistsAsync(_options.Relay.Image, cancellationToken))
            await docker.PullAsync(_options.Relay.Image, cancellationToken);
    }

    public ContainerSpec Spec(RelayContainer container, Server server)
    {
        var relay = _options.Relay;
        var token = AdmissionTokens.Create(admission.Value, container.UserId, container.Id);
        var separator = relay.AdmissionUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        List<string> args =
        [
            $"-a=:{container.DerpPort}",
            $"-stun-port={container.StunPort}",
            $"-hostname={server.HostName}",
            "-http-port=-1",
            $"-certmode={relay.CertMode}",
            $"-certdir={relay.CertDir}",
            $"-verify-client-url={relay.AdmissionUrl}{separator}token={token}",
            "-verify-client-url-fail-open=false",
            .. relay.ExtraArgs,
        ];
        return new ContainerSpec(container.Name, relay.Image, args, new Dictionary<string, string>
        {
            ["derp.managed"] = _options.InstanceLabel,
            ["derp.server"] = server.Id.ToString(),
            ["derp.renter"] = container.UserId.ToString(),
            ["derp.rental"] = container.RentalId.ToString(),
            ["derp.container"] = container.Id.ToString(),
        }, container.DerpPort, container.StunPort, relay.BindAddress, relay.MemoryMb * 1024L * 1024L, (long)(relay.Cpus * 1_000_000_000), relay.RestartPolicy);
    }

    /// <summary>
    /// Announces the renter's relays once every one is running: <c>ContainersProvisioned</c> through the outbox,
    /// unless exactly this set was announced already.
    /// </summary>
    private async Task AnnounceAsync(Guid userId, string reason, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var renter = await db.Renters.FromSqlInterpolated($"SELECT * FROM renters WHERE user_id = {userId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (renter is null || !renter.Active || renter.Deregistered)
            return;
        var live = await db.Containers.Include(c => c.Server)
            .Where(c => c.UserId == userId && ContainerStates.Live.Contains(c.State)
                && (c.Server!.Status == ServerStatuses.Active || c.Server.Status == ServerStatuses.Unhealthy))
            .OrderBy(c => c.CreatedAt).ToListAsync(cancellationToken);
        if (live.Count == 0 || live.Any(c => c.State != ContainerStates.Running))
            return;
        var nodes = live.Select(c => new RelayNode(c.Server!.RegionCode, c.Server.RegionName, c.Server.HostName, c.Server.PublicIp, c.DerpPort, c.StunPort))
            .ToList();
        var signature = string.Join(";", live.Select(c => $"{c.Id:N}"));
        if (renter.AnnouncedRelays == signature)
            return;
        renter.AnnouncedRelays = signature;
        db.AddIntegrationEvent(new ContainersProvisioned(userId, renter.RentalId, nodes, clock.GetUtcNow(), reason), clock);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public Task StartAsync(RelayContainer container, CancellationToken cancellationToken) =>
        ChangeAsync(container, ContainerStates.Running, (docker, id) => docker.StartAsync(id, cancellationToken), cancellationToken);

    public Task StopAsync(RelayContainer container, CancellationToken cancellationToken) =>
        ChangeAsync(container, ContainerStates.Stopped, (docker, id) => docker.StopAsync(id, cancellationToken), cancellationToken);

    /// <summary>Removes a container and frees its ports. A host that cannot be reached keeps an alert, not the ports.</summary>
    public async Task RemoveAsync(RelayContainer container, CancellationToken cancellationToken)
    {
        if (container.DockerId is not null)
        {
            try
            {
                await hosts.WithDockerAsync(container.Server!, docker => docker.RemoveAsync(container.DockerId, cancellationToken), cancellationToken);
            }
            catch (HostException e)
            {
                await alerts.RaiseAsync("remove_failed", AlertSeverities.Warning, $"remove_failed:{container.Id}",
                    $"Relay {container.Name} could not be removed from {container.Server!.Name}: {e.Message}. Remove it by hand.",
                    container.ServerId, container.UserId, cancellationToken);
            }
        }
        container.State = ContainerStates.Removed;
        container.RemovedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task ChangeAsync(RelayContainer container, string state, Func<DockerEngineClient, string, Task> change, CancellationToken cancellationToken)
    {
        if (container.DockerId is null)
            return; // never created: EnsureProvisioned will
        await hosts.WithDockerAsync(container.Server!, docker => change(docker, container.DockerId), cancellationToken);
        container.State = state;
        container.LastError = null;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Applies one change to every live container of a renter; a host that fails is reported and the rest go on.</summary>
    public async Task ForEachLiveAsync(Guid userId, Func<RelayContainer, Task> change, CancellationToken cancellationToken)
    {
        var containers = await db.Containers.Include(c => c.Server)
            .Where(c => c.UserId == userId && ContainerStates.Live.Contains(c.State)).ToListAsync(cancellationToken);
        foreach (var container in containers)
        {
            try
            {
                await change(container);
            }
            catch (HostException e)
            {
                container.LastError = Truncate(e.Message);
                await db.SaveChangesAsync(cancellationToken);
                await alerts.RaiseAsync("container_change_failed", AlertSeverities.Warning, $"container_change_failed:{container.Id}",
                    e.Message, container.ServerId, userId, cancellationToken);
            }
        }
    }

    public static string Truncate(string message) => message.Length > 1000 ? message[..1000] : message;
}
