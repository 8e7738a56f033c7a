using Derp.Servers.Api.Model;
using Microsoft.EntityFrameworkCore;

namespace Derp.Servers.Api.Infrastructure;

public static class RenterLocks
{
    /// <summary>
    /// The renter's row, created if new, locked until the caller's transaction ends: events of one renter handled at
    /// once by several threads or replicas never lose each other's changes.
    /// </summary>
    public static async Task<Renter> LockRenterAsync(this ServersContext db, Guid userId, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO renters (user_id, rental_active, deregistered, over_quota, period_started_at, period_bytes, reconcile_requested, reconcile_done) VALUES ({userId}, false, false, false, now(), 0, 0, 0) ON CONFLICT DO NOTHING",
            cancellationToken);
        return await db.Renters.FromSqlInterpolated($"SELECT * FROM renters WHERE user_id = {userId} FOR UPDATE").SingleAsync(cancellationToken);
    }
}
