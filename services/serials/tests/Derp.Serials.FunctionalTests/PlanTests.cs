using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Finance;
using Derp.Serials.Api.Infrastructure;
using Derp.Serials.Api.Model;
using Derp.ServiceDefaults.Projections;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Serials.FunctionalTests;

/// <summary>Finance's plans reach serials as PlanChanged over the real bus; batches made from a plan take its terms.</summary>
public sealed class PlanTests(SerialsApiFactory factory) : IClassFixture<SerialsApiFactory>
{
    private static PlanChanged Plan(Guid id, long version, int days = 30, long priceCents = 3000, int quotaGb = 300, bool retired = false) =>
        new(id, version, $"{days}天", $"{days} days", days, priceCents, Currencies.Cny, quotaGb, !retired, true, retired,
            DateTimeOffset.UtcNow.AddMinutes(version));

    private async Task<T> WithDbAsync<T>(Func<SerialsContext, Task<T>> read)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<SerialsContext>());
    }

    private Task<PlanView?> ProjectedAsync(Guid planId) => WithDbAsync(db => db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == planId));

    /// <summary>Sends a plan event over the bus and waits until the consumer has finished with it.</summary>
    private async Task SendHandledAsync(PlanChanged plan, Guid? messageId = null)
    {
        var id = messageId ?? Guid.NewGuid();
        using var watcher = ConsumeWatcher.Attach(factory.Services);
        await RabbitMqProbe.SendToConsumerAsync(factory.EndpointPrefix, plan, id);
        await watcher.ConsumedAsync(id);
    }

    private async Task<Guid> KnownPlanAsync(int days = 30, long priceCents = 3000, int quotaGb = 300)
    {
        var planId = Guid.NewGuid();
        await SendHandledAsync(Plan(planId, 1, days, priceCents, quotaGb));
        return planId;
    }

    private Task<HttpResponseMessage> CreateBatchAsync(Dictionary<string, object?> request) =>
        factory.Admin().PostAsJsonAsync("/api/serials/batches", request);

    private static Dictionary<string, object?> PlanBatch(Guid planId, int count = 1) =>
        new() { ["prefix"] = "PLN", ["count"] = count, ["kind"] = "rental", ["planId"] = planId };

    [Fact]
    public async Task The_newest_version_of_a_plan_wins_an_older_one_changes_nothing_and_a_redelivery_runs_once()
    {
        var planId = Guid.NewGuid();
        await SendHandledAsync(Plan(planId, 1, days: 5, priceCents: 800, quotaGb: 80));
        (await ProjectedAsync(planId)).ShouldNotBeNull().DurationDays.ShouldBe(5);

        var v3 = Guid.NewGuid();
        await SendHandledAsync(Plan(planId, 3, days: 30, priceCents: 3000, quotaGb: 300), v3);
        await SendHandledAsync(Plan(planId, 2, days: 180, priceCents: 15000, quotaGb: 1800)); // late: older than what is known

        var plan = (await ProjectedAsync(planId)).ShouldNotBeNull();
        plan.Version.ShouldBe(3);
        (plan.DurationDays, plan.PriceCents, plan.TrafficQuotaGb).ShouldBe((30, 3000L, 300));

        // The same message again finds its inbox row and runs nothing: to make a second run visible, the projected row
        // is first put back by hand, which a second run of v3 would overwrite.
        await WithDbAsync(db => db.Plans.Where(p => p.Id == planId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Version, 2L).SetProperty(p => p.DurationDays, 7)));
        await SendHandledAsync(Plan(planId, 3, days: 30), v3);
        (await ProjectedAsync(planId)).ShouldNotBeNull().DurationDays.ShouldBe(7);
    }

    [Fact]
    public async Task A_batch_made_from_a_plan_takes_its_duration_quota_and_price()
    {
        var planId = await KnownPlanAsync(days: 180, priceCents: 15000, quotaGb: 1800);

        var batchId = await factory.Admin().CreateBatchAsync(PlanBatch(planId, count: 3));

        var serials = await factory.Admin().SerialsOfBatchAsync(batchId);
        serials.Count.ShouldBe(3);
        foreach (var serial in serials)
        {
            serial.GetProperty("planId").GetGuid().ShouldBe(planId);
            serial.GetProperty("durationDays").GetInt32().ShouldBe(180);
            serial.GetProperty("trafficQuotaGb").GetInt32().ShouldBe(1800);
            serial.GetProperty("valueCents").GetInt64().ShouldBe(15000);
        }
    }

    [Fact]
    public async Task A_plan_without_a_traffic_quota_makes_serials_without_one()
    {
        var planId = await KnownPlanAsync(days: 3, priceCents: 500, quotaGb: 0); // finance: 0 GB is unlimited

        var serial = (await factory.Admin().SerialsOfBatchAsync(await factory.Admin().CreateBatchAsync(PlanBatch(planId)))).Single();

        serial.GetProperty("trafficQuotaGb").ValueKind.ShouldBe(JsonValueKind.Null);
        serial.GetProperty("durationDays").GetInt32().ShouldBe(3);
    }

    [Fact]
    public async Task A_retired_plan_and_an_unknown_plan_make_no_batch()
    {
        var planId = await KnownPlanAsync();
        await SendHandledAsync(Plan(planId, 2, retired: true));

        var retired = await CreateBatchAsync(PlanBatch(planId));
        retired.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await retired.ProblemCodeAsync()).ShouldBe("plan_retired");

        var unknown = await CreateBatchAsync(PlanBatch(Guid.NewGuid()));
        unknown.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await unknown.ProblemCodeAsync()).ShouldBe("plan_not_found");
        (await WithDbAsync(db => db.Batches.CountAsync(b => b.PlanId == planId))).ShouldBe(0);
    }

    [Theory]
    [InlineData("durationDays", 30)]
    [InlineData("durationHours", 3)]
    [InlineData("trafficQuotaGb", 100)]
    [InlineData("valueCents", 100)]
    public async Task Terms_the_plan_decides_cannot_also_be_given(string field, int value)
    {
        var request = PlanBatch(await KnownPlanAsync());
        request[field] = value;

        var response = await CreateBatchAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBe("validation_failed");
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Only_rental_batches_are_made_from_a_plan()
    {
        var response = await CreateBatchAsync(new() { ["prefix"] = "PLN", ["count"] = 1, ["kind"] = "balance", ["valueCents"] = 100, ["planId"] = await KnownPlanAsync() });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBe("validation_failed");
    }
}
