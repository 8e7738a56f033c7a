using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Distribution;
using Derp.Contracts.Finance;
using Derp.Contracts.Serials;
using Derp.Serials.Api.Infrastructure;
using Derp.ServiceDefaults.Auth;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Serials.FunctionalTests;

/// <summary>A distributor's paid serial request becomes one batch of their own serials, which they alone list and export.</summary>
public sealed class DistributorSerialsTests(SerialsApiFactory factory) : IClassFixture<SerialsApiFactory>
{
    private async Task SendHandledAsync<T>(T message, Guid? messageId = null) where T : class
    {
        var id = messageId ?? Guid.NewGuid();
        using var watcher = ConsumeWatcher.Attach(factory.Services);
        await RabbitMqProbe.SendToConsumerAsync(factory.EndpointPrefix, message, id);
        await watcher.ConsumedAsync(id);
    }

    private async Task<T> WithDbAsync<T>(Func<SerialsContext, Task<T>> read)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<SerialsContext>());
    }

    private async Task<Guid> KnownPlanAsync(bool retired = false)
    {
        var planId = Guid.NewGuid();
        await SendHandledAsync(new PlanChanged(planId, 1, "30天", "30 days", 30, 3000, Currencies.Cny, 300, !retired, true, retired, DateTimeOffset.UtcNow));
        return planId;
    }

    private HttpClient Distributor(Guid id) => factory.ClientAs(id, Roles.Distributor);

    private Task<int> BatchesForAsync(Guid requestId) => WithDbAsync(db => db.Batches.CountAsync(b => b.RequestId == requestId));

    [Fact]
    public async Task A_paid_request_issues_one_batch_however_often_it_arrives_and_the_event_carries_the_codes()
    {
        await using var probe = await RabbitMqProbe.ForEventAsync<DistributorSerialsIssued>();
        var planId = await KnownPlanAsync();
        var distributorId = Guid.NewGuid();
        var requested = new SerialBatchRequested(Guid.NewGuid(), distributorId, planId, 3, DateTimeOffset.UtcNow);
        var messageId = Guid.NewGuid();

        await SendHandledAsync(requested, messageId);
        await SendHandledAsync(requested, messageId);
        await SendHandledAsync(requested);
        await SendHandledAsync(requested);

        (await BatchesForAsync(requested.RequestId)).ShouldBe(1);
        var serials = await WithDbAsync(db => db.Serials.AsNoTracking().Where(s => s.DistributorId == distributorId).ToListAsync());
        serials.Count.ShouldBe(3);
        serials.ShouldAllBe(s => s.PlanId == planId && s.DurationDays == 30 && s.TrafficQuotaGb == 300 && s.Kind == SerialKinds.Rental
            && s.Status == SerialStatuses.Unused);
        var issued = await probe.WaitForAsync(m => m.GetProperty("requestId").GetGuid() == requested.RequestId, TimeSpan.FromSeconds(20));
        issued.GetProperty("distributorId").GetGuid().ShouldBe(distributorId);
        issued.GetProperty("planId").GetGuid().ShouldBe(planId);
        var carried = issued.GetProperty("serials").EnumerateArray()
            .Select(s => (Id: s.GetProperty("serialId").GetGuid(), Code: s.GetProperty("fullCode").GetString()!, ValidUntil: s.GetProperty("validUntil").GetDateTimeOffset()))
            .OrderBy(s => s.Code, StringComparer.Ordinal).ToList();
        carried.Select(s => (s.Id, s.Code)).ShouldBe(serials.OrderBy(s => s.FullCode, StringComparer.Ordinal).Select(s => (s.Id, s.FullCode)));
        carried.ShouldAllBe(s => s.ValidUntil > DateTimeOffset.UtcNow.AddDays(300));
        issued.GetProperty("batchId").GetGuid().ShouldBe(serials[0].BatchId);
        (await probe.DrainAsync()).Count(m => m.GetProperty("message").GetProperty("requestId").GetGuid() == requested.RequestId).ShouldBe(0);
    }

    [Fact]
    public async Task An_unknown_or_retired_plan_issues_nothing()
    {
        var retired = await KnownPlanAsync(retired: true);
        foreach (var planId in new[] { retired, Guid.NewGuid() })
        {
            var requested = new SerialBatchRequested(Guid.NewGuid(), Guid.NewGuid(), planId, 2, DateTimeOffset.UtcNow);
            await SendHandledAsync(requested);
            (await BatchesForAsync(requested.RequestId)).ShouldBe(0);
            (await WithDbAsync(db => db.Serials.CountAsync(s => s.DistributorId == requested.DistributorId))).ShouldBe(0);
        }
    }

    [Fact]
    public async Task A_distributor_lists_and_exports_only_their_own_serials_with_each_ones_life()
    {
        var planId = await KnownPlanAsync();
        var mineId = Guid.NewGuid();
        var otherId = Guid.NewGuid();
        await SendHandledAsync(new SerialBatchRequested(Guid.NewGuid(), mineId, planId, 3, DateTimeOffset.UtcNow));
        await SendHandledAsync(new SerialBatchRequested(Guid.NewGuid(), otherId, planId, 2, DateTimeOffset.UtcNow));
        var admin = factory.Admin();
        var adminBatch = await admin.NewSerialsAsync(count: 2);

        var me = Distributor(mineId);
        var page = await me.GetFromJsonAsync<JsonElement>("/api/serials/mine?pageSize=100");
        page.GetProperty("total").GetInt32().ShouldBe(3);
        var mine = page.GetProperty("items").EnumerateArray().ToList();
        var code = mine[0].GetProperty("fullCode").GetString()!;

        // A renter redeems one: the distributor sees when and by whom.
        var renterId = Guid.NewGuid();
        (await factory.Renter(renterId).PostAsJsonAsync("/api/serials/redeem", new { code })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var used = (await me.GetFromJsonAsync<JsonElement>("/api/serials/mine?status=used")).GetProperty("items").EnumerateArray().Single();
        used.GetProperty("fullCode").GetString().ShouldBe(code);
        used.GetProperty("userId").GetGuid().ShouldBe(renterId);
        used.GetProperty("firstUsedAt").ValueKind.ShouldBe(JsonValueKind.String);
        (await me.GetFromJsonAsync<JsonElement>("/api/serials/mine?status=unused")).GetProperty("total").GetInt32().ShouldBe(2);
        var batchId = mine[0].GetProperty("batchId").GetGuid();
        (await me.GetFromJsonAsync<JsonElement>($"/api/serials/mine?batchId={batchId}")).GetProperty("total").GetInt32().ShouldBe(3);

        var txt = await me.GetAsync("/api/serials/mine/export?format=txt");
        txt.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        var lines = (await txt.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Order().ShouldBe(mine.Select(s => s.GetProperty("fullCode").GetString()!).Order());
        var unusedTxt = (await me.GetStringAsync("/api/serials/mine/export?format=txt&status=unused")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        unusedTxt.Length.ShouldBe(2);
        unusedTxt.ShouldNotContain(code);

        var csv = (await me.GetStringAsync("/api/serials/mine/export?format=csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        csv[0].ShouldBe("full_code,status,valid_until,first_used_at,user_id,batch_id");
        csv.Length.ShouldBe(4);
        var usedRow = csv.Single(l => l.StartsWith(code + ",", StringComparison.Ordinal)).Split(',');
        usedRow[1].ShouldBe(SerialStatuses.Used);
        usedRow[3].ShouldNotBeEmpty();
        usedRow[4].ShouldBe(renterId.ToString());
        usedRow[5].ShouldBe(batchId.ToString());

        // Nobody else's: not the other distributor's, not the admin's batch.
        var everything = string.Join("\n", lines);
        foreach (var (_, adminCode) in adminBatch)
            everything.ShouldNotContain(adminCode);
        var others = (await Distributor(otherId).GetFromJsonAsync<JsonElement>("/api/serials/mine?pageSize=100")).GetProperty("items").EnumerateArray()
            .Select(s => s.GetProperty("fullCode").GetString()).ToList();
        others.Count.ShouldBe(2);
        others.ShouldAllBe(c => !lines.Contains(c));
        (await Distributor(otherId).GetFromJsonAsync<JsonElement>($"/api/serials/mine?batchId={batchId}")).GetProperty("total").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Renters_and_strangers_get_nothing_and_bad_filters_get_problems()
    {
        var renter = factory.Renter();
        (await renter.GetAsync("/api/serials/mine")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await renter.GetAsync("/api/serials/mine/export")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await factory.CreateClient().GetAsync("/api/serials/mine")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var stranger = Distributor(Guid.NewGuid());
        (await stranger.GetFromJsonAsync<JsonElement>("/api/serials/mine")).GetProperty("total").GetInt32().ShouldBe(0);
        (await stranger.GetStringAsync("/api/serials/mine/export")).ShouldBeEmpty();
        foreach (var url in new[] { "/api/serials/mine?status=nonsense", "/api/serials/mine?page=0", "/api/serials/mine?pageSize=501",
                     "/api/serials/mine/export?format=pdf", "/api/serials/mine/export?status=nonsense" })
        {
            var refused = await stranger.GetAsync(url);
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await refused.ProblemCodeAsync()).ShouldBe("validation_failed");
        }
    }
}
