using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Distribution;
using Derp.Distribution.Api.Jobs;
using Derp.Distribution.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Derp.Distribution.FunctionalTests.Distributors;

public sealed class PromotionTests(DistributionApiFactory factory) : IClassFixture<DistributionApiFactory>
{
    private async Task<int> PromoteAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TierPromotionJob>().PromoteAsync(CancellationToken.None);
    }

    private async Task<Guid> ApprovedDistributorAsync()
    {
        var userId = Guid.NewGuid();
        var id = await factory.ApplyAsync(userId);
        (await factory.Admin().PostAsJsonAsync($"/api/distribution/applications/{id}/approve", new { })).EnsureSuccessStatusCode();
        return userId;
    }

    private Task<int> PaidPurchaseAsync(Guid distributorId, long priceCents, DateTimeOffset paidAt, string status = SerialRequestStatuses.Issued) =>
        factory.WithDbAsync(async db =>
        {
            db.SerialRequests.Add(new SerialRequest
            {
                Id = Guid.CreateVersion7(), DistributorId = distributorId, PlanId = Guid.NewGuid(), PlanNameZh = "30天", PlanNameEn = "30 days", Quantity = 100,
                Status = status, PriceCents = priceCents, Currency = "CNY", OrderId = Guid.NewGuid(), CreatedAt = paidAt.AddHours(-1), PaidAt = paidAt,
            });
            return await db.SaveChangesAsync();
        });

    private Task<Distributor> DistributorAsync(Guid userId) =>
        factory.WithDbAsync(db => db.Distributors.AsNoTracking().SingleAsync(d => d.UserId == userId));

    [Fact]
    public async Task Turnover_over_the_window_moves_an_unpinned_distributor_up_and_down_with_an_audit_row()
    {
        var userId = await ApprovedDistributorAsync();
        var now = factory.Clock.GetUtcNow();
        await PaidPurchaseAsync(userId, 300_000, now.AddDays(-10));
        await PaidPurchaseAsync(userId, 900_000, now.AddDays(-200)); // outside the 90-day window
        await PaidPurchaseAsync(userId, 900_000, now.AddDays(-5), SerialRequestStatuses.Approved); // not paid
        await PromoteAsync();
        (await DistributorAsync(userId)).TierCode.ShouldBe(TierCodes.Gold);

        await PaidPurchaseAsync(userId, 250_000, now.AddDays(-1), SerialRequestStatuses.Paid);
        (await PromoteAsync()).ShouldBeGreaterThanOrEqualTo(1);
        (await DistributorAsync(userId)).TierCode.ShouldBe(TierCodes.WhiteGold);
        var audit = await factory.WithDbAsync(db => db.Audit.AsNoTracking()
            .SingleAsync(a => a.TargetId == userId.ToString() && a.Action == DistributionAuditActions.TierChanged));
        audit.ActorId.ShouldBeNull();
        var details = JsonDocument.Parse(audit.DetailsJson!).RootElement;
        details.GetProperty("to").GetString().ShouldBe(TierCodes.WhiteGold);
        details.GetProperty("turnoverCents").GetInt64().ShouldBe(550_000);

        // Once the purchases slide out of the window, the tier drops back.
        factory.Clock.Advance(TimeSpan.FromDays(95));
        try
        {
            await PromoteAsync();
            (await DistributorAsync(userId)).TierCode.ShouldBe(TierCodes.Gold);
        }
        finally
        {
            factory.Clock.Advance(TimeSpan.FromDays(-95));
        }
    }

    [Fact]
    public async Task A_tier_set_by_hand_is_pinned_and_promotion_rules_leave_it_alone()
    {
        var userId = await ApprovedDistributorAsync();
        await PaidPurchaseAsync(userId, 3_000_000, factory.Clock.GetUtcNow().AddDays(-1));
        var set = await (await factory.Admin().PutAsJsonAsync($"/api/distribution/distributors/{userId}/tier",
            new { tierCode = TierCodes.Gold, reason = "Agreed by contract" })).JsonAsync();
        set.GetProperty("tierPinned").GetBoolean().ShouldBeTrue();
        await PromoteAsync();
        (await DistributorAsync(userId)).TierCode.ShouldBe(TierCodes.Gold);
        (await factory.WithDbAsync(db => db.Audit.CountAsync(a => a.TargetId == userId.ToString() && a.Action == DistributionAuditActions.TierChanged)))
            .ShouldBe(1);

        (await factory.Admin().PutAsJsonAsync($"/api/distribution/distributors/{userId}/tier",
            new { tierCode = TierCodes.Gold, reason = "Back to the rules", pinned = false })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await PromoteAsync();
        (await DistributorAsync(userId)).TierCode.ShouldBe(TierCodes.Platinum);
    }

    [Fact]
    public async Task The_promotion_job_is_scheduled()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var scheduler = await scope.ServiceProvider.GetRequiredService<ISchedulerFactory>().GetScheduler();
        (await scheduler.GetJobDetail(TierPromotionJob.Key)).ShouldNotBeNull();
    }
}
