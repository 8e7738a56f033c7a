using Derp.Contracts.Distribution;
using Derp.Distribution.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Derp.Distribution.Api.Services;

/// <summary>
/// A distributor's turnover over a window, the figure promotion rules compare with a tier's threshold. It counts the
/// serial purchases the distributor paid in the window (requests paid or already issued, by when they were paid);
/// the commissions' base (their renters' paid rental orders) is added here by the commissions area.
/// </summary>
public static class Turnover
{
    public static async Task<long> TurnoverAsync(this DistributionContext db, Guid distributorId, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken) =>
        await db.SerialRequests.AsNoTracking()
            .Where(r => r.DistributorId == distributorId && r.PaidAt >= from && r.PaidAt < to
                && (r.Status == SerialRequestStatuses.Paid || r.Status == SerialRequestStatuses.Issued))
            .SumAsync(r => r.PriceCents ?? 0, cancellationToken);
}
