using Derp.Contracts.Distribution;
using Derp.Distribution.Api.Infrastructure;
using Derp.Distribution.Api.Model;
using Microsoft.EntityFrameworkCore;

namespace Derp.Distribution.Api.Services;

/// <summary>
/// The commission half of a distributor's turnover (requirements §9.1): the amounts their renters paid for rental
/// orders since <c>since</c>, from the commission rows (an order's own row carries its base; a refunded order does not
/// count). The serial-request half lives beside it in Turnover.cs.
/// </summary>
public static class CommissionTurnover
{
    public static IQueryable<Commission> Counted(DistributionContext db, DateTimeOffset since) =>
        db.Commissions.Where(c => c.Kind == CommissionKinds.Order && c.Status != CommissionStatuses.Reversed && c.EarnedAt >= since);

    public static async Task<long> SinceAsync(DistributionContext db, Guid distributorId, DateTimeOffset since, CancellationToken cancellationToken) =>
        await Counted(db, since).Where(c => c.DistributorId == distributorId).SumAsync(c => c.BaseCents, cancellationToken);

    public static async Task<Dictionary<Guid, long>> SinceAsync(DistributionContext db, IReadOnlyCollection<Guid> distributorIds, DateTimeOffset since,
        CancellationToken cancellationToken) =>
        await Counted(db, since).Where(c => distributorIds.Contains(c.DistributorId))
            .GroupBy(c => c.DistributorId).Select(g => new { g.Key, Sum = g.Sum(c => c.BaseCents) })
            .ToDictionaryAsync(g => g.Key, g => g.Sum, cancellationToken);
}
