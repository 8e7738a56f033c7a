using Derp.Contracts.Servers;
using Derp.Servers.Api.Infrastructure;
using Derp.Servers.Api.Model;
using Microsoft.EntityFrameworkCore;

namespace Derp.Servers.Api.Services;

/// <summary>
/// Raises an alert unless one with the same key is still open (a condition that persists raises one alert, not one
/// per check), and resolves open ones when the condition ends. An alert about a container or host that was removed
/// on purpose resolves itself: none is raised about one already removed (a check that raced the removal), and the
/// removal resolves the open ones (<see cref="ResolveGoneAsync"/>).
/// </summary>
public sealed class Alerts(ServersContext db, TimeProvider clock, ILogger<Alerts> logger)
{
    public async Task RaiseAsync(string type, string severity, string key, string message, Guid? serverId, Guid? userId, Guid? containerId,
        CancellationToken cancellationToken)
    {
        var raised = await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO alerts (type, severity, message, server_id, user_id, container_id, key, created_at)
            SELECT {type}, {severity}, {message}, {serverId}::uuid, {userId}::uuid, {containerId}::uuid, {key}, {clock.GetUtcNow()}
            WHERE {type} = {AlertTypes.RemoveFailed} OR ( -- a failed removal stays open until an admin resolves it
                NOT EXISTS (SELECT 1 FROM containers WHERE id = {containerId}::uuid AND state = {ContainerStates.Removed})
                AND NOT EXISTS (SELECT 1 FROM servers WHERE id = {serverId}::uuid AND status = {ServerStatuses.Removed}))
            ON CONFLICT (key) WHERE resolved_at IS NULL DO NOTHING
            """, cancellationToken);
        if (raised == 0)
            return;
        ServersMetrics.Alerts.Add(1, new KeyValuePair<string, object?>("type", type), new KeyValuePair<string, object?>("severity", severity));
        logger.LogWarning("Alert {Type} ({Severity}): {Message}", type, severity, message);
    }

    public Task ResolveAsync(string key, CancellationToken cancellationToken) =>
        db.Alerts.Where(a => a.Key == key && a.ResolvedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ResolvedAt, clock.GetUtcNow()), cancellationToken);

    /// <summary>Resolves every open alert about a removed container or a removed host (but not a failed removal).</summary>
    public Task<int> ResolveGoneAsync(CancellationToken cancellationToken) =>
        db.Alerts.Where(a => a.ResolvedAt == null && a.Type != AlertTypes.RemoveFailed
                && (db.Containers.Any(c => c.Id == a.ContainerId && c.State == ContainerStates.Removed)
                    || db.Servers.Any(s => s.Id == a.ServerId && s.Status == ServerStatuses.Removed)))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ResolvedAt, clock.GetUtcNow()), cancellationToken);
}
