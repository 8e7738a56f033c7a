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
    /// regions last; hosts in <paramref name="avoidedHosts"/> (where the renter's relay failed lately) only when no other
    /// host can take the relay, hosts in <paramref name="excludedHosts"/> (failed just now) not at all. Returns how many
    /// relays the renter still lacks afterwards (0 also when the renter should have none).
    /// </summary>
    public async Task<int> AllocateAsync(Guid userId, IReadOnlyCollection<Guid> avoidedHosts, IReadOnlyCollection<Guid> excludedHosts,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // One placement at a time across replicas: capacity and port choices never race.
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7301)", cancellationToken);
        var renter = await db.Renters.SingleOrDefaultAsync(r => r.UserId == userId, cancellationToken);
        if (renter is null || !renter.WantsRelays)
            return 0;

        var mine = await db.Containers.Include(c => c.Server)
            .Where(c => c.UserId == userId && ContainerStates.Live.Contains(c.State)).ToListAsync(cancellationToken);
        // Relays on draining or removed hosts are on their way out: they do not count.
        var keeping = mine.Where(c => c.Server!.Status is ServerStatuses.Active or ServerStatuses.Unhealthy).ToList();
        var missing = _options.RelaysPerRenter - keeping.Count;
        if (missing <= 0)
            return 0;

        var plan = Plan(_options.RelaysPerRenter, keeping.Select(c => c.Server!.RegionCode).ToList(),
            mine.Select(c => c.ServerId).Concat(excludedHosts).ToHashSet(), await ActiveHostsAsync(cancellationToken), avoidedHosts.ToHashSet());

        var now = clock.GetUtcNow();
        foreach (var relay in plan.Relays)
        {
            var id = Guid.CreateVersion7();
            db.Containers.Add(new RelayContainer
            {
                Id = id,
                ServerId = relay.Server.Id,
                UserId = userId,
                RentalId = renter.RentalId ?? Guid.Empty,
                DerpPort = relay.DerpPort,
                StunPort = relay.StunPort,
                Name = $"derp-relay-{id:N}",
                State = ContainerStates.Pending,
                CreatedAt = now,
            });
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        switch (plan.Shortfall)
        {
            case PlacementShortfall.Capacity:
                await alerts.RaiseAsync(AlertTypes.CapacityShort, plan.Total == 0 ? AlertSeverities.Critical : AlertSeverities.Warning, $"capacity_short:{userId}",
                    $"Renter {userId} has {plan.Total} of {_options.RelaysPerRenter} relays: not enough active hosts with free capacity.", null, userId, null, cancellationToken);
                break;
            case PlacementShortfall.Regions:
                await alerts.RaiseAsync(AlertTypes.RegionsShort, AlertSeverities.Warning, $"regions_short:{userId}",
                    $"Renter {userId} has relays sharing a region: fewer than {_options.RelaysPerRenter} regions have capacity.", null, userId, null, cancellationToken);
                break;
        }
        return _options.RelaysPerRenter - plan.Total;
    }

    /// <summary>
    /// The choice itself, without the database: the relays the renter lacks go to the least loaded active hosts with
    /// a free slot, one region each while regions last (counting the regions of the relays kept), then to hosts in
    /// regions already used; hosts in <paramref name="avoidedHosts"/> come after every other host (a relay failed
    /// there lately, but a relay on it beats none); never a host in <paramref name="usedHosts"/> (the renter's own, or
    /// excluded). Each relay gets the lowest free derp port of its host's range (even offset) and the port after it
    /// for STUN.
    /// </summary>
    public static PlacementPlan Plan(int relaysPerRenter, IReadOnlyCollection<string> keptRegions, IReadOnlySet<Guid> usedHosts,
        IEnumerable<PlacementHost> hosts, IReadOnlySet<Guid>? avoidedHosts = null)
    {
        var missing = relaysPerRenter - keptRegions.Count;
        var candidates = hosts
            .Where(h => h.Server.AcceptsRelays && !usedHosts.Contains(h.Server.Id))
            .Select(h => new Candidate(h.Server, h.LiveDerpPorts.ToHashSet(), h.LiveDerpPorts.Count))
            .Where(c => c.Live < c.Server.Slots)
            .OrderBy(c => c.Load).ThenBy(c => c.Live).ThenBy(c => c.Server.Name, StringComparer.Ordinal)
            .ToList();
        var usedRegions = keptRegions.ToHashSet();
        var chosen = new List<Candidate>();
        foreach (var pool in candidates.GroupBy(c => avoidedHosts?.Contains(c.Server.Id) == true).OrderBy(g => g.Key))
        {
            foreach (var candidate in pool)
                if (chosen.Count < missing && usedRegions.Add(candidate.Server.RegionCode))
                    chosen.Add(candidate);
            foreach (var candidate in pool)
                if (chosen.Count < missing && !chosen.Contains(candidate))
                    chosen.Add(candidate);
        }
        var relays = chosen.Select(c =>
        {
            var (derp, stun) = c.FreePorts();
            return new PlannedRelay(c.Server, derp, stun);
        }).ToList();
        var total = keptRegions.Count + relays.Count;
        var sharesRegion = keptRegions.Concat(relays.Select(r => r.Server.RegionCode)).Distinct().Count() < total;
        var shortfall = total < relaysPerRenter ? PlacementShortfall.Capacity : sharesRegion ? PlacementShortfall.Regions : PlacementShortfall.None;
        return new PlacementPlan(relays, total, shortfall);
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

    /// <summary>Active hosts and the derp ports of their live relays.</summary>
    private async Task<List<PlacementHost>> ActiveHostsAsync(CancellationToken cancellationToken)
    {
        var servers = await db.Servers.Where(s => s.Status == ServerStatuses.Active).ToListAsync(cancellationToken);
        var ids = servers.Select(s => s.Id).ToList();
        var ports = await db.Containers.Where(c => ids.Contains(c.ServerId) && ContainerStates.Live.Contains(c.State))
            .Select(c => new { c.ServerId, c.DerpPort }).ToListAsync(cancellationToken);
        var byServer = ports.ToLookup(p => p.ServerId, p => p.DerpPort);
        return servers.Select(s => new PlacementHost(s, byServer[s.Id].ToList())).ToList();
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

/// <summary>A host placement may use, with the derp ports of its live relays (one per relay).</summary>
public sealed record PlacementHost(Server Server, IReadOnlyCollection<int> LiveDerpPorts);

public sealed record PlannedRelay(Server Server, int DerpPort, int StunPort);

/// <summary>What placement could not do as asked, and so reports as an alert.</summary>
public enum PlacementShortfall
{
    None,

    /// <summary>Two of the renter's relays share a region: fewer regions than relays have capacity (a warning).</summary>
    Regions,

    /// <summary>Fewer relays than the renter should have: not enough active hosts with a free slot (critical at none).</summary>
    Capacity,
}

/// <param name="Relays">The relays to create.</param>
/// <param name="Total">The renter's relays once they exist (kept and new).</param>
public sealed record PlacementPlan(IReadOnlyList<PlannedRelay> Relays, int Total, PlacementShortfall Shortfall);
