using Derp.Contracts.Distribution;
using Derp.Distribution.Api.Infrastructure;
using Derp.Distribution.Api.Model;
using Derp.Distribution.Api.Services;
using Derp.ServiceDefaults.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;

namespace Derp.Distribution.Api.Jobs;

/// <summary>
/// Daily: every active distributor whose tier was not set by hand gets the tier their turnover over the promotion
/// window earns (<see cref="TierPromotion"/>), up or down, with an audit row per change. Each distributor's change
/// commits on its own under a row lock, so an admin pinning a tier meanwhile wins.
/// </summary>
[DisallowConcurrentExecution]
public sealed class TierPromotionJob(DistributionContext db, TimeProvider clock, IOptions<PromotionOptions> options, ILogger<TierPromotionJob> logger)
    : IJob
{
    public static readonly JobKey Key = new("distribution-tier-promotion");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var changed = await PromoteAsync(cancellationToken);
        if (changed > 0)
            logger.LogInformation("Promotion rules changed the tier of {Count} distributors", changed);
    }

    public async Task<int> PromoteAsync(CancellationToken cancellationToken)
    {
        var tiers = await db.Tiers.AsNoTracking().ToListAsync(cancellationToken);
        var candidates = await db.Distributors.AsNoTracking().Where(d => d.Status == DistributorStatuses.Active && !d.TierPinned)
            .Select(d => d.UserId).ToListAsync(cancellationToken);
        var changed = 0;
        foreach (var userId in candidates)
        {
            var now = clock.GetUtcNow();
            var from = now.AddDays(-options.Value.PromotionWindowDays);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var distributor = await db.Distributors.FromSql($"SELECT * FROM distributors WHERE user_id = {userId} FOR UPDATE").SingleAsync(cancellationToken);
            if (distributor.TierPinned || distributor.Status != DistributorStatuses.Active)
                continue;
            var turnover = await db.TurnoverAsync(userId, from, now, cancellationToken);
            var earned = TierPromotion.Choose(distributor.TierCode, tiers, turnover);
            if (earned != distributor.TierCode)
            {
                db.AddAudit(null, null, clock, DistributionAuditActions.TierChanged, "distributor", userId,
                    new { from = distributor.TierCode, to = earned, turnoverCents = turnover, windowFrom = from, by = "promotion" });
                distributor.TierCode = earned;
                distributor.UpdatedAt = now;
                await db.SaveChangesAsync(cancellationToken);
                changed++;
            }
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
        return changed;
    }
}
