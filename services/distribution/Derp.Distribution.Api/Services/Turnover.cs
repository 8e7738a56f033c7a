using Derp.Contracts.Distribution;
using Derp.Distribution.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Derp.Distribution.Api.Services;

/// <summary>
/// A distributor's turnover over a window (requirements §9.1), the figure promotion rules compare with a tier's
/// threshold and the dashboard shows: the serial purchases the distributor paid in the window (requests paid or
/// already issued, by when they were paid) plus what their renters paid for rental orders (the commissions' base,
/// <see cref="CommissionTurnover"/>).
/// </summary>
public static class Turnover
{
    public static async Task<long> TurnoverAsync(this DistributionContext db, Guid distributorId, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken) =>
        (await SerialPurchasesAsync(db, [distributorId], from, to, cancellationToken)).GetValueOrDefault(distributorId)
        + await CommissionTurnover.Counted(db, from).Where(c => c.DistributorId == distributorId && c.EarnedAt < to).SumAsync(c => c.BaseCents, cancellationToken);

    /// <summary>The serial-purchase half for a page of distributors at once (<paramref name="to"/> null: up to now).</summary>
    public static Task<Dictionary<Guid, long>> SerialPurchasesAsync(DistributionContext db, IReadOnlyCollection<Guid> distributorIds, DateTimeOffset from,
        DateTimeOffset? to, CancellationToken cancellationToken) =>
        db.SerialRequests.AsNoTracking()
            .Where(r => distributorIds.Contains(r.DistributorId) && r.PaidAt >= from && (to == null || r.PaidAt < to)
                && (r.Status == SerialRequestStatuses.Paid || r.Status == SerialRequestStatuses.Issued))
            .GroupBy(r => r.DistributorId).Select(g => new { g.Key, Sum = g.Sum(r => r.PriceCents ?? 0) })
            .ToDictionaryAsync(g => g.Key, g => g.Sum, cancellationToken);
}
