using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Derp.Contracts.Servers;
using Derp.Servers.Api.Hosts;
using Derp.Servers.Api.Infrastructure;
using Derp.Servers.Api.Model;
using Derp.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Derp.Servers.Api.Services;

/// <summary>
/// The one path that changes hosts (ADR-008). Consumers and endpoints record what a renter's relays should be and
/// bump the renter's reconcile request; this class brings the hosts there: it places missing relays, starts, stops
/// and removes containers (a renter's in parallel), replaces a relay that will not come back, finishes drained hosts,
/// and announces a new relay set once. It also observes what the engines really run, so a relay that died is
/// noticed, started again, and replaced on another host when it does not come back. Retries live here and nowhere
/// else. A renter is reconciled by one replica at a time: it is claimed with a lease under FOR UPDATE SKIP LOCKED.
/// </summary>
public sealed class Reconciler(
    ServersContext db,
    Placement placement,
    HostAccess hosts,
    Alerts alerts,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<ServersOptions> options,
    ILogger<Reconciler> logger)
{
    private const int BatchSize = 10;
    private readonly ServersOptions _options = options.Value;

    /// <summary>The periodic safety net (the clustered Quartz job): look at every engine, then reconcile what is due.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        await ObserveAsync(cancellationToken);
        await RunDueAsync(cancellationToken);
    }

    /// <summary>
    /// Reconciles every renter with an open request or a due retry that no other replica holds, several renters at once
    /// (<see cref="ServersOptions.ReconcileParallelism"/>), each with a database context of its own: a crowd redeeming
    /// at the same moment waits for its own host work, not for the renters before it (ADR-030). Placement itself stays
    /// one at a time (its short advisory-locked transaction); container starts run outside it, in parallel.
    /// </summary>
    public async Task RunDueAsync(CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(ClaimAllAsync(cancellationToken),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.ReconcileParallelism), CancellationToken = cancellationToken },
            async (claim, token) =>
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<Reconciler>().ReconcileClaimedAsync(claim.UserId, claim.Requested, token);
            });
        await FinishDrainsAsync(cancellationToken);
        await alerts.ResolveGoneAsync(cancellationToken);
    }

    /// <summary>Due renters, claimed a batch at a time as workers ask for more (a renter is claimed just before its turn).</summary>
    private async IAsyncEnumerable<(Guid UserId, long Requested)> ClaimAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            var claimed = await ClaimAsync(cancellationToken);
            foreach (var claim in claimed)
                yield return claim;
            if (claimed.Count < BatchSize)
                yield break;
        }
    }

    /// <summary>One claimed renter: reconciled, then given back (with a retry when something must be tried again).</summary>
    private async Task ReconcileClaimedAsync(Guid userId, long requested, CancellationToken cancellationToken)
    {
        var retry = true;
        try
        {
            retry = await ReconcileRenterAsync(userId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Reconciling renter {UserId} failed; it is tried again", userId);
        }
        finally
        {
            db.ChangeTracker.Clear();
            await ReleaseAsync(userId, requested, retry, CancellationToken.None);
        }
    }

    /// <summary>
    /// Reads every reachable host's containers from its engine and stores what it says. A relay that should run but
    /// does not (it died, or vanished) turns <c>exited</c> and its renter is due for reconciliation.
    /// </summary>
    public async Task ObserveAsync(CancellationToken cancellationToken)
    {
        var servers = await db.Servers.AsNoTracking()
            .Where(s => s.Status == ServerStatuses.Active || s.Status == ServerStatuses.Draining).ToListAsync(cancellationToken);
        var label = $"derp.managed={_options.InstanceLabel}";
        var listings = await Task.WhenAll(servers.Select(async server =>
        {
            try
            {
                return (Server: server, Containers: await hosts.WithDockerAsync(server, docker => docker.ListAsync(label, cancellationToken), cancellationToken));
            }
            catch (HostException e)
            {
                logger.LogWarning("Could not list the relays of {Server}: {Error}", server.Name, e.Message);
                return (Server: server, Containers: (IReadOnlyList<ContainerSummary>?)null);
            }
        }));

        var now = clock.GetUtcNow();
        var due = new HashSet<Guid>();
        foreach (var (server, engine) in listings)
        {
            if (engine is null)
                continue;
            var byId = engine.ToDictionary(c => c.Id);
            // Renters a reconciler holds right now are left to it: it is changing exactly these containers.
            var containers = await db.Containers.AsNoTracking()
                .Where(c => c.ServerId == server.Id && c.DockerId != null && ContainerStates.Live.Contains(c.State)
                    && !db.Renters.Any(r => r.UserId == c.UserId && r.ReconcileLeaseUntil > DateTimeOffset.UtcNow))
                .ToListAsync(cancellationToken);
            foreach (var container in containers)
            {
                var engineState = byId.TryGetValue(container.DockerId!, out var found) ? found.State
                    : await StateNowAsync(server, container.DockerId!, cancellationToken);
                if (engineState is null)
                    continue;
                var observed = Observed(container.State, engineState);
                // Written only if no reconciler changed the container since it was read (it may have just removed it).
                var written = await db.Containers.Where(c => c.Id == container.Id && c.State == container.State)
                    .ExecuteUpdateAsync(u => u.SetProperty(c => c.State, observed).SetProperty(c => c.EngineState, engineState)
                        .SetProperty(c => c.ObservedAt, now), cancellationToken);
                if (written == 0)
                    continue;
                if (observed != container.State)
                {
                    logger.LogWarning("Relay {Container} on {Server} is {EngineState} on its engine (was {State})",
                        container.Name, server.Name, engineState, container.State);
                    due.Add(container.UserId);
                }
                else if (observed == ContainerStates.Exited)
                    due.Add(container.UserId);
            }
        }
        if (due.Count > 0)
            await db.Renters.Where(r => due.Contains(r.UserId)).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.ReconcileRequested, r => r.ReconcileRequested + 1)
                .SetProperty(r => r.ReconcileReason, r => r.ReconcileReason ?? ProvisioningReasons.Reprovisioned), cancellationToken);
    }

    /// <summary>What a container is, given what the engine says: only a running engine container is running.</summary>
    private static string Observed(string state, string engineState) =>
        engineState == EngineStates.Running ? ContainerStates.Running
        : state is ContainerStates.Stopped or ContainerStates.Pending ? state
        : ContainerStates.Exited;

    /// <summary>Brings one renter's relays to what they should be. True when something must be tried again later.</summary>
    public async Task<bool> ReconcileRenterAsync(Guid userId, CancellationToken cancellationToken)
    {
        var retry = false;
        // Hosts a relay of this renter was given up on during this pass: not tried again before the retry.
        var failedThisPass = new HashSet<Guid>();
        for (var round = 0; round < 4; round++)
        {
            db.ChangeTracker.Clear();
            var renter = await db.Renters.AsNoTracking().SingleOrDefaultAsync(r => r.UserId == userId, cancellationToken);
            if (renter is null)
                return false;
            if (renter.WantsRelays)
            {
                var since = clock.GetUtcNow() - _options.AvoidFailedHostFor;
                var failedHosts = await db.Containers.Where(c => c.UserId == userId && c.State == ContainerStates.Failed && c.CreatedAt > since)
                    .Select(c => c.ServerId).Distinct().ToListAsync(cancellationToken);
                // A renter left short (no host could take a relay yet) is tried again later, not only at its next event.
                if (await placement.AllocateAsync(userId, failedHosts, failedThisPass, cancellationToken) > 0)
                    retry = true;
            }

            var containers = await db.Containers.Include(c => c.Server)
                .Where(c => c.UserId == userId && (ContainerStates.Live.Contains(c.State)
                    || (c.State == ContainerStates.Failed && c.RemovedAt == null && c.DockerId != null)))
                .ToListAsync(cancellationToken);
            var work = containers.Select(c => (Container: c, Target: Target(renter, c, containers))).Where(w => w.Target is not null && Differs(w.Container, w.Target))
                .Select(w => (w.Container, Target: w.Target!)).ToList();
            if (work.Count == 0)
                break;

            // Each container's host work runs at once (a renter's three relays start in parallel); the database work after.
            var outcomes = await Task.WhenAll(work.Select(w => ActAsync(w.Container, w.Target, cancellationToken)));
            failedThisPass.UnionWith(outcomes.Where(o => o.GaveUp && o.Target == DesiredStates.Running).Select(o => o.Container.ServerId));
            foreach (var outcome in outcomes)
                await RecordAsync(outcome, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            // A host that failed is tried again later; otherwise another round places replacements for relays given
            // up, and removes relays on drained hosts now that their replacements run (until nothing differs).
            if (outcomes.Any(o => o.Error is not null && !o.GaveUp))
            {
                retry = true;
                break;
            }
        }
        retry |= !await PinCertificatesAsync(userId, cancellationToken);
        await AnnounceAsync(userId, cancellationToken);
        return retry;
    }

    /// <summary>What one container should be now, or null when it is to be left as it is for now.</summary>
    private string? Target(Renter renter, RelayContainer container, List<RelayContainer> all)
    {
        if (container.State == ContainerStates.Failed || renter.Deregistered || container.Desired == DesiredStates.Removed)
            return DesiredStates.Removed;
        if (container.Server!.Status is ServerStatuses.Draining or ServerStatuses.Removed)
        {
            // A relay on a host being drained goes once its replacement runs (or the renter needs none).
            var staying = all.Where(c => c.Server!.Status is ServerStatuses.Active or ServerStatuses.Unhealthy && ContainerStates.Live.Contains(c.State)).ToList();
            return !renter.WantsRelays || staying.All(c => c.State == ContainerStates.Running) ? DesiredStates.Removed : null;
        }
        if (!renter.WantsRelays || container.Desired == DesiredStates.Stopped)
            return DesiredStates.Stopped;
        return DesiredStates.Running;
    }

    private static bool Differs(RelayContainer container, string target) => target switch
    {
        DesiredStates.Running => container.State != ContainerStates.Running,
        // A stopped wish for a container never created (pending) needs nothing from its host.
        DesiredStates.Stopped => container.State is ContainerStates.Running or ContainerStates.Exited,
        _ => true,
    };

    private sealed record Outcome(RelayContainer Container, string Target, string? DockerId, string? EngineState, string? Error, bool GaveUp, bool Restarted);

    /// <summary>The host work for one container, with the retries; touches no database (it runs in parallel).</summary>
    private async Task<Outcome> ActAsync(RelayContainer container, string target, CancellationToken cancellationToken)
    {
        var server = container.Server!;
        try
        {
            switch (target)
            {
                case DesiredStates.Removed:
                    if (container.DockerId is not null)
                        await WithRetriesAsync(server, docker => docker.RemoveAsync(container.DockerId, cancellationToken), cancellationToken);
                    return new Outcome(container, target, container.DockerId, EngineStates.Missing, null, false, false);
                case DesiredStates.Stopped:
                    if (container.DockerId is null)
                        return new Outcome(container, target, null, null, null, false, false);
                    var stopped = await WithRetriesAsync(server, async docker =>
                    {
                        await docker.StopAsync(container.DockerId, cancellationToken);
                        return await docker.InspectAsync(container.DockerId, cancellationToken);
                    }, cancellationToken);
                    return new Outcome(container, target, container.DockerId, stopped?.Status ?? EngineStates.Missing, null, false, false);
                default:
                    // A relay that keeps dying is not started a fifth time on the same host.
                    if (container.State == ContainerStates.Exited && container.Restarts >= _options.MaxRestarts)
                        return new Outcome(container, target, container.DockerId, container.EngineState, $"died {container.Restarts + 1} times", true, false);
                    var restarted = container.State == ContainerStates.Exited;
                    var (dockerId, state) = await WithRetriesAsync(server, async docker =>
                    {
                        var id = container.DockerId ?? (await docker.InspectAsync(container.Name, cancellationToken))?.Id;
                        if (id is null)
                        {
                            if (!await docker.ImageExistsAsync(_options.Relay.Image, cancellationToken))
                                await docker.PullAsync(_options.Relay.Image, cancellationToken);
                            id = await docker.CreateAsync(placement.Spec(container, server), cancellationToken);
                        }
                        await docker.StartAsync(id, cancellationToken);
                        return (id, await docker.InspectAsync(id, cancellationToken));
                    }, cancellationToken);
                    return new Outcome(container, target, dockerId, state?.Status ?? EngineStates.Missing, null, false, restarted);
            }
        }
        catch (HostException e)
        {
            ServersMetrics.ProvisioningFailures.Add(1);
            logger.LogWarning("Relay {Container} on {Server} could not be made {Target}: {Error}", container.Name, server.Name, target, e.Message);
            // A relay that should run and cannot on this host (or vanished from it) goes to another host.
            var gaveUp = target == DesiredStates.Running || target == DesiredStates.Removed;
            return new Outcome(container, target, container.DockerId, null, e.Message, gaveUp, false);
        }
    }

    /// <summary>
    /// A relay absent from the listing may have been created after it was taken (by a reconciler that has let go of
    /// its renter since): its engine is asked directly before the relay is called missing. Null: the host did not
    /// answer, so nothing can be said this round.
    /// </summary>
    private async Task<string?> StateNowAsync(Server server, string dockerId, CancellationToken cancellationToken)
    {
        try
        {
            return (await hosts.WithDockerAsync(server, docker => docker.InspectAsync(dockerId, cancellationToken), cancellationToken))?.Status
                ?? EngineStates.Missing;
        }
        catch (HostException)
        {
            return null;
        }
    }

    /// <summary>Stores an outcome (in order, after the host work).</summary>
    private async Task RecordAsync(Outcome outcome, CancellationToken cancellationToken)
    {
        var (container, target, dockerId, engineState, error, gaveUp, restarted) = outcome;
        var server = container.Server!;
        var now = clock.GetUtcNow();
        container.DockerId = dockerId;
        container.LastError = error is null ? null : Placement.Truncate(error);
        if (engineState is not null)
        {
            container.EngineState = engineState;
            container.ObservedAt = now;
        }
        if (error is not null)
            container.Attempts++;

        switch (target)
        {
            case DesiredStates.Removed when error is null || gaveUp:
                var wasFailed = container.State == ContainerStates.Failed;
                if (!wasFailed)
                    container.State = ContainerStates.Removed;
                container.RemovedAt = now;
                if (error is not null)
                    await alerts.RaiseAsync(AlertTypes.RemoveFailed, AlertSeverities.Warning, $"{AlertTypes.RemoveFailed}:{container.Id}",
                        $"Relay {container.Name} could not be removed from {server.Name}: {error}. Remove it by hand.",
                        container.ServerId, container.UserId, container.Id, cancellationToken);
                else if (!wasFailed)
                    logger.LogInformation("Relay {Container} removed from {Server}", container.Name, server.Name);
                return;
            case DesiredStates.Running when gaveUp:
                container.State = ContainerStates.Failed;
                container.Desired = DesiredStates.Removed;
                await db.SaveChangesAsync(cancellationToken);
                await alerts.RaiseAsync(AlertTypes.ProvisioningFailed, AlertSeverities.Warning, $"provisioning_failed:{container.Id}",
                    $"Relay for renter {container.UserId} does not run on {server.Name}: {container.LastError}. Placing it on another host.",
                    server.Id, container.UserId, container.Id, cancellationToken);
                return;
            case DesiredStates.Running when error is null:
                container.State = engineState == EngineStates.Running ? ContainerStates.Running : ContainerStates.Exited;
                if (restarted)
                {
                    container.Restarts++;
                    logger.LogWarning("Relay {Container} on {Server} had died and was started again ({Restarts} times)",
                        container.Name, server.Name, container.Restarts);
                }
                else
                    logger.LogInformation("Relay {Container} for {UserId} runs on {Server} (DERP {DerpPort}, STUN {StunPort})",
                        container.Name, container.UserId, server.Name, container.DerpPort, container.StunPort);
                return;
            case DesiredStates.Stopped when error is null:
                container.State = engineState == EngineStates.Running ? ContainerStates.Running : ContainerStates.Stopped;
                return;
            default:
                await alerts.RaiseAsync(AlertTypes.ContainerChangeFailed, AlertSeverities.Warning, $"container_change_failed:{container.Id}",
                    $"Relay {container.Name} on {server.Name} could not be made {target}: {error}", container.ServerId, container.UserId, container.Id,
                    cancellationToken);
                return;
        }
    }

    /// <summary>The one place host calls are retried: a few tries with a growing pause; a changed host key is not retried.</summary>
    private async Task<T> WithRetriesAsync<T>(Server server, Func<DockerEngineClient, Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await hosts.WithDockerAsync(server, call, cancellationToken);
            }
            catch (HostException e) when (!e.HostKeyRejected && attempt < _options.ProvisionAttempts)
            {
                logger.LogInformation("{Server}, attempt {Attempt}: {Error}", server.Name, attempt, e.Message);
                await Task.Delay(_options.ProvisionRetryDelay * attempt, cancellationToken);
            }
        }
    }

    private async Task WithRetriesAsync(Server server, Func<DockerEngineClient, Task> call, CancellationToken cancellationToken) =>
        await WithRetriesAsync(server, async docker => { await call(docker); return true; }, cancellationToken);

    /// <summary>
    /// Reads the certificate pin of running relays whose host name is an IP address (derper's IP-certificate mode):
    /// clients reach such a relay only with its <c>CertName</c> in the DERP map. False while one is still missing
    /// (a relay just started may not listen yet): the renter is tried again and not announced without it.
    /// </summary>
    private async Task<bool> PinCertificatesAsync(Guid userId, CancellationToken cancellationToken)
    {
        if (!_options.Relay.ServesTls)
            return true;
        db.ChangeTracker.Clear();
        var unpinned = (await db.Containers.Include(c => c.Server)
            .Where(c => c.UserId == userId && c.State == ContainerStates.Running && c.CertName == null).ToListAsync(cancellationToken))
            .Where(c => System.Net.IPAddress.TryParse(c.Server!.HostName, out _)).ToList();
        if (unpinned.Count == 0)
            return true;
        var pins = await Task.WhenAll(unpinned.Select(async c =>
        {
            try
            {
                return await RelayCertificates.ReadCertNameAsync(c.Server!.PublicIp, c.DerpPort, c.Server.HostName, _options.Relay.ProbeTimeout, cancellationToken);
            }
            catch (HostException e)
            {
                logger.LogInformation("No certificate read from relay {Container} yet: {Error}", c.Name, e.Message);
                return null;
            }
        }));
        for (var i = 0; i < unpinned.Count; i++)
            unpinned[i].CertName = pins[i];
        await db.SaveChangesAsync(cancellationToken);
        return pins.All(p => p is not null);
    }

    /// <summary>
    /// Announces the renter's relays once every one runs: <c>ContainersProvisioned</c> through the outbox, with the
    /// reason of the request that led here; the same set is never announced twice.
    /// </summary>
    private async Task AnnounceAsync(Guid userId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var renter = await db.Renters.FromSqlInterpolated($"SELECT * FROM renters WHERE user_id = {userId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (renter is null || !renter.WantsRelays)
            return;
        var live = await db.Containers.Include(c => c.Server)
            .Where(c => c.UserId == userId && ContainerStates.Live.Contains(c.State)
                && (c.Server!.Status == ServerStatuses.Active || c.Server.Status == ServerStatuses.Unhealthy))
            .OrderBy(c => c.CreatedAt).ToListAsync(cancellationToken);
        if (live.Count == 0 || live.Any(c => c.State != ContainerStates.Running))
            return;
        var signature = string.Join(";", live.Select(c => $"{c.Id:N}"));
        if (renter.AnnouncedRelays == signature)
            return;
        var nodes = live.Select(c => new RelayNode(c.Server!.RegionCode, c.Server.RegionName, c.Server.HostName, c.Server.PublicIp, c.DerpPort, c.StunPort,
            c.CertName)).ToList();
        var reason = renter.ReconcileReason ?? ProvisioningReasons.Reprovisioned;
        var announcedBefore = renter.AnnouncedRelays?.Split(';') ?? [];
        var firstNewPlaced = live.Where(c => !announcedBefore.Contains($"{c.Id:N}")).Select(c => (DateTimeOffset?)c.CreatedAt).Min();
        renter.AnnouncedRelays = signature;
        db.AddIntegrationEvent(new ContainersProvisioned(userId, renter.RentalId ?? Guid.Empty, nodes, clock.GetUtcNow(), reason)
        {
            ClientIp = reason == ProvisioningReasons.Rental ? renter.RequestedFromIp : null,
        }, clock);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (firstNewPlaced is { } placed)
            ServersMetrics.ProvisioningDuration.Record(Math.Max(0, (clock.GetUtcNow() - placed).TotalSeconds));
    }

    /// <summary>A drained host with no relay left is removed, and everyone it ever served is named in <c>ServerRemoved</c>.</summary>
    private async Task FinishDrainsAsync(CancellationToken cancellationToken)
    {
        var drained = await db.Servers.Where(s => s.Status == ServerStatuses.Draining
            && !db.Containers.Any(c => c.ServerId == s.Id && ContainerStates.Live.Contains(c.State))).Select(s => s.Id).ToListAsync(cancellationToken);
        foreach (var serverId in drained)
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var server = await db.Servers.FromSqlInterpolated($"SELECT * FROM servers WHERE id = {serverId} FOR UPDATE").SingleAsync(cancellationToken);
            if (server.Status != ServerStatuses.Draining
                || await db.Containers.AnyAsync(c => c.ServerId == serverId && ContainerStates.Live.Contains(c.State), cancellationToken))
                continue;
            var everyone = await db.Containers.Where(c => c.ServerId == serverId).Select(c => c.UserId).Distinct().ToListAsync(cancellationToken);
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

    /// <summary>
    /// Takes up to a batch of due renters that no reconciler holds, with a lease in database time. SKIP LOCKED lets
    /// replicas claim different renters at once instead of queueing on the same rows.
    /// </summary>
    private async Task<List<(Guid UserId, long Requested)>> ClaimAsync(CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != ConnectionState.Open)
            await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            UPDATE renters SET reconcile_lease_until = now() + make_interval(secs => {(int)_options.ReconcileLease.TotalSeconds})
            WHERE user_id IN (
                SELECT user_id FROM renters
                WHERE (reconcile_requested > reconcile_done OR reconcile_retry_at <= now())
                  AND (reconcile_lease_until IS NULL OR reconcile_lease_until < now())
                ORDER BY reconcile_retry_at NULLS FIRST, user_id
                LIMIT {BatchSize}
                FOR UPDATE SKIP LOCKED)
            RETURNING user_id, reconcile_requested
            """;
        var claimed = new List<(Guid, long)>();
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            claimed.Add((reader.GetGuid(0), reader.GetInt64(1)));
        return claimed;
    }

    /// <summary>
    /// Gives the renter back: the requests seen at the claim are done (a newer one keeps it due), and a failure
    /// brings it back after a pause.
    /// </summary>
    private async Task ReleaseAsync(Guid userId, long requested, bool retry, CancellationToken cancellationToken)
    {
        var retrySeconds = retry ? (int?)Math.Max(1, (int)_options.ReconcileRetryDelay.TotalSeconds) : null;
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            UPDATE renters SET reconcile_lease_until = NULL,
                reconcile_done = GREATEST(reconcile_done, {requested}),
                reconcile_reason = CASE WHEN reconcile_requested = {requested} AND {retrySeconds}::int IS NULL THEN NULL ELSE reconcile_reason END,
                reconcile_retry_at = CASE WHEN {retrySeconds}::int IS NULL THEN NULL ELSE now() + make_interval(secs => {retrySeconds}::int) END
            WHERE user_id = {userId}
            """, cancellationToken);
    }
}

/// <summary>The engine's status words this service acts on, plus its own word for a container the engine does not know.</summary>
public static class EngineStates
{
    public const string Running = "running";
    public const string Missing = "missing";
}
