using Derp.Contracts.Servers;
using Derp.Servers.Api.Hosts;
using Derp.Servers.Api.Infrastructure;
using Derp.Servers.Api.Model;
using Derp.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Derp.Servers.Api.Services;

/// <summary>
/// Where a renter's relays go: ports on the least loaded active hosts, one region each while regions last, and the
/// derper container each becomes. Placement only writes rows (under a short advisory lock); the reconciler starts
/// them on their hosts (ADR-008).
/// </summary>
public sealed class Placement(ServersContext db, Alerts alerts, AdmissionSecret admission, TimeProvider clock, IOptions<ServersOptions> options)
{
    private readonly ServersOptions _options = options.Value;

    /// <summary>
    /// Reserves ports for the relays the renter still lacks, on the least loaded active hosts, one region each while
    /// regions last. False when the renter should have no relays (no active rental, or over quota).
    /// </summary>
    public async Task<bool> AllocateAsync(Guid userId, IReadOnlyCollection<Guid> excludedHosts, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // One placement at a time across replicas: capacity and port choices never race.
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7301)", cancellationToken);
        var renter = await db.Renters.SingleOrDefaultAsync(r => r.UserId == userId, cancellationToken);
        if (renter is null || !renter.WantsRelays)
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
                RentalId = renter.RentalId ?? Guid.Empty,
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
            await alerts.RaiseAsync(AlertTypes.CapacityShort, total == 0 ? AlertSeverities.Critical : AlertSeverities.Warning, $"capacity_short:{userId}",
                $"Renter {userId} has {total} of {_options.RelaysPerRenter} relays: not enough active hosts with free capacity.", null, userId, null, cancellationToken);
        else if (sameRegion)
            await alerts.RaiseAsync(AlertTypes.RegionsShort, AlertSeverities.Warning, $"regions_short:{userId}",
                $"Renter {userId} has relays sharing a region: fewer than {_options.RelaysPerRenter} regions have capacity.", null, userId, null, cancellationToken);
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
        }, container.DerpPort, container.StunPort, relay.BindAddress, relay.MemoryMb * 1024L * 1024L, (long)(relay.Cpus * 1_000_000_000), relay.RestartPolicy,
            string.IsNullOrEmpty(relay.NetworkMode) ? null : relay.NetworkMode);
    }

    public static string Truncate(string message) => message.Length > 1000 ? message[..1000] : message;
}
