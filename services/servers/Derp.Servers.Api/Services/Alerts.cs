using Derp.Servers.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Derp.Servers.Api.Services;

/// <summary>
/// Raises an alert unless one with the same key is still open (a condition that persists raises one alert, not one
/// per check), and resolves open ones when the condition ends.
/// </summary>
public sealed class Alerts(ServersContext db, TimeProvider clock, ILogger<Alerts> logger)
{
    public async Task RaiseAsync(string type, string severity, string key, string message, Guid? serverId, Guid? userId, CancellationToken cancellationToken)
    {
        var raised = await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO alerts (type, severity, message, server_id, user_id, key, created_at)
            VALUES ({type}, {severity}, {message}, {serverId}, {userId}, {key}, {clock.GetUtcNow()})
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
}
