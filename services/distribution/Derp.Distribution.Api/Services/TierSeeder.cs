using Derp.Contracts.Distribution;
using Derp.Distribution.Api.Infrastructure;
using Derp.Distribution.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Derp.Distribution.Api.Services;

/// <summary>
/// Requirements §9.1: gold 10 %, white-gold 15 %, platinum 20 %. Runs once at start when there are no tiers at all;
/// replicas starting together take an advisory lock, so only one seeds.
/// </summary>
public sealed class TierSeeder(IServiceProvider services, IOptions<PromotionOptions> options, ILogger<TierSeeder> logger) : IHostedService
{
    private const long SeedLockKey = 0x5EED_D157_0000_0001;

    public static readonly IReadOnlyList<Tier> DefaultTiers =
    [
        new() { Code = TierCodes.Gold, NameZh = "黄金", NameEn = "Gold", RateBasisPoints = 1000, HoldingDays = 7, MinimumPayoutCents = 10_000, SortOrder = 10 },
        new()
        {
            Code = TierCodes.WhiteGold, NameZh = "白金", NameEn = "White gold", RateBasisPoints = 1500, HoldingDays = 7, MinimumPayoutCents = 10_000,
            PromotionTurnoverCents = 500_000, SortOrder = 20,
        },
        new()
        {
            Code = TierCodes.Platinum, NameZh = "铂金", NameEn = "Platinum", RateBasisPoints = 2000, HoldingDays = 7, MinimumPayoutCents = 10_000,
            PromotionTurnoverCents = 2_000_000, SortOrder = 30,
        },
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.SeedTiers)
            return;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DistributionContext>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({SeedLockKey})", cancellationToken);
        if (await db.Tiers.AnyAsync(cancellationToken))
            return;
        var now = clock.GetUtcNow();
        foreach (var tier in DefaultTiers)
        {
            db.Tiers.Add(new Tier
            {
                Code = tier.Code, NameZh = tier.NameZh, NameEn = tier.NameEn, RateBasisPoints = tier.RateBasisPoints, HoldingDays = tier.HoldingDays,
                MinimumPayoutCents = tier.MinimumPayoutCents, PromotionTurnoverCents = tier.PromotionTurnoverCents, SortOrder = tier.SortOrder,
                UpdatedAt = now,
            });
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Seeded {Count} tiers", DefaultTiers.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
