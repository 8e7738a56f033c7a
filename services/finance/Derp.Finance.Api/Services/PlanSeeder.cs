using Derp.Contracts.Finance;
using Derp.Finance.Api.Apis;
using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Derp.Finance.Api.Services;

/// <summary>
/// Requirements §5: a fresh platform sells 3, 5, 30, 180 and 360 days. Runs once at start when there are no plans at
/// all (an operator who retired them all keeps them retired); replicas starting together take an advisory lock, so
/// only one seeds. Each seeded plan publishes PlanChanged like any other plan change.
/// </summary>
public sealed class PlanSeeder(IServiceProvider services, IOptions<FinanceOptions> options, ILogger<PlanSeeder> logger) : IHostedService
{
    private const long SeedLockKey = 0x5EED_F1A4_0000_0001;

    public static readonly IReadOnlyList<(int Days, long PriceCents, int QuotaGb)> DefaultPlans =
    [
        (3, 500, 50),
        (5, 800, 80),
        (30, 3_000, 300),
        (180, 15_000, 1_800),
        (360, 28_000, 3_600),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.SeedPlans)
            return;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FinanceContext>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({SeedLockKey})", cancellationToken);
        if (await db.Plans.AnyAsync(cancellationToken))
            return;

        var now = clock.GetUtcNow();
        var sortOrder = 0;
        foreach (var (days, price, quota) in DefaultPlans)
        {
            var plan = new Plan
            {
                Id = Guid.CreateVersion7(),
                NameZh = $"{days}天",
                NameEn = days == 1 ? "1 day" : $"{days} days",
                DurationDays = days,
                PriceCents = price,
                Currency = Currencies.Cny,
                TrafficQuotaGb = quota,
                Sell = true,
                Renew = true,
                SortOrder = sortOrder += 10,
                CreatedAt = now,
            };
            db.Plans.Add(plan);
            PlansApi.Changed(db, plan, clock);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Seeded {Count} plans", DefaultPlans.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
