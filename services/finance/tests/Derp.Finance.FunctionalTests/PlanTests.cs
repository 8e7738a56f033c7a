using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Finance;
using Derp.Finance.Api.Services;
using Derp.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Finance.FunctionalTests;

public sealed class PlanTests(FinanceApiFactory factory) : IClassFixture<FinanceApiFactory>
{
    private static object Body(long priceCents = 3_000, int durationDays = 30, bool sell = true, string nameEn = "30 days") => new
    {
        nameZh = "30天", nameEn, durationDays, priceCents, trafficQuotaGb = 300, sell, renew = true, sortOrder = 5,
    };

    [Fact]
    public async Task Admins_create_change_and_retire_plans_and_each_change_publishes_the_next_version()
    {
        await using var probe = await RabbitMqProbe.ForEventAsync<PlanChanged>();
        var admin = factory.Admin();

        var created = await (await admin.PostAsJsonAsync("/api/finance/plans", Body())).JsonAsync(HttpStatusCode.Created);
        var id = created.Id();
        created.Cents("priceCents").ShouldBe(3_000);
        created.Str("currency").ShouldBe(Currencies.Cny);
        created.GetProperty("soldOut").GetBoolean().ShouldBeFalse();
        var updated = await (await admin.PutAsJsonAsync($"/api/finance/plans/{id}", Body(priceCents: 3_500, nameEn: "Thirty days"))).JsonAsync();
        updated.Cents("priceCents").ShouldBe(3_500);
        updated.Str("nameEn").ShouldBe("Thirty days");
        (await admin.DeleteAsync($"/api/finance/plans/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var versions = (await probe.CollectAsync(m => m.GetProperty("planId").GetGuid() == id, 3))
            .OrderBy(m => m.GetProperty("version").GetInt64()).ToList();
        versions.Select(m => m.GetProperty("version").GetInt64()).ShouldBe([1L, 2L, 3L]);
        versions[0].GetProperty("priceCents").GetInt64().ShouldBe(3_000);
        versions[1].GetProperty("priceCents").GetInt64().ShouldBe(3_500);
        versions[1].GetProperty("nameEn").GetString().ShouldBe("Thirty days");
        versions[2].GetProperty("retired").GetBoolean().ShouldBeTrue();
        versions[2].GetProperty("sell").GetBoolean().ShouldBeFalse();

        // Retired: gone from the shop, kept in the admin's list.
        var onSale = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/finance/plans");
        onSale.EnumerateArray().ShouldNotContain(p => p.Id() == id);
        var all = await admin.GetFromJsonAsync<JsonElement>("/api/finance/plans/all");
        all.EnumerateArray().Single(p => p.Id() == id).GetProperty("retired").GetBoolean().ShouldBeTrue();
        // Retiring again changes nothing (no version 4).
        (await admin.DeleteAsync($"/api/finance/plans/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/finance/audit?targetId={id}");
        audit.GetProperty("items").EnumerateArray().Select(a => a.Str("action")).Order()
            .ShouldBe(new[] { FinanceAuditActions.PlanCreated, FinanceAuditActions.PlanRetired, FinanceAuditActions.PlanUpdated }.Order());
    }

    [Fact]
    public async Task Anyone_sees_the_plans_on_sale_in_sort_order_and_not_those_off_sale()
    {
        var admin = factory.Admin();
        var onSale = await admin.CreatePlanIdAsync(priceCents: 500, durationDays: 3);
        var offSale = (await admin.CreatePlanAsync(sell: false)).Id();

        var plans = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/finance/plans");

        var ids = plans.EnumerateArray().Select(p => p.Id()).ToList();
        ids.ShouldContain(onSale);
        ids.ShouldNotContain(offSale);
        var sortOrders = plans.EnumerateArray().Select(p => p.GetProperty("sortOrder").GetInt32()).ToList();
        sortOrders.ShouldBe(sortOrders.Order().ToList());
    }

    [Theory]
    [InlineData("durationDays", 0)]
    [InlineData("durationDays", 3661)]
    [InlineData("priceCents", -1)]
    [InlineData("priceCents", 100_000_001)]
    [InlineData("trafficQuotaGb", -5)]
    [InlineData("trafficQuotaGb", 100_001)]
    [InlineData("capacityLimit", 0)]
    [InlineData("nameZh", "")]
    [InlineData("nameEn", "   ")]
    [InlineData("currency", "USD")]
    public async Task Bad_plans_are_refused_with_the_field_named(string field, object value)
    {
        var body = JsonSerializer.SerializeToNode(Body(), JsonSerializerOptions.Web)!.AsObject();
        body[field] = JsonSerializer.SerializeToNode(value);

        var response = await factory.Admin().PostAsJsonAsync("/api/finance/plans", body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.Str("code").ShouldBe("validation_failed");
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(problem.ToString());
    }

    [Fact]
    public async Task Malformed_and_missing_bodies_and_unknown_plans_are_problems_not_errors()
    {
        var admin = factory.Admin();
        var malformed = await admin.PostAsync("/api/finance/plans", new StringContent("{\"durationDays\": \"thirty\"", System.Text.Encoding.UTF8, "application/json"));
        malformed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await malformed.ProblemCodeAsync()).ShouldBe("malformed_json");

        var unknown = await admin.PutAsJsonAsync($"/api/finance/plans/{Guid.NewGuid()}", Body());
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unknown.ProblemCodeAsync()).ShouldBe("plan_not_found");
        var retireUnknown = await admin.DeleteAsync($"/api/finance/plans/{Guid.NewGuid()}");
        (await retireUnknown.ProblemCodeAsync()).ShouldBe("plan_not_found");
    }

    [Fact]
    public async Task A_price_change_never_touches_an_order_already_made()
    {
        var admin = factory.Admin();
        var planId = await admin.CreatePlanIdAsync(priceCents: 3_000);
        var renter = factory.Renter(Guid.NewGuid());
        var order = await renter.BuyAsync(planId);

        (await admin.PutAsJsonAsync($"/api/finance/plans/{planId}", Body(priceCents: 9_900, durationDays: 31, nameEn: "New name"))).EnsureSuccessStatusCode();

        var after = await (await renter.GetAsync($"/api/finance/me/orders/{order.Id()}")).JsonAsync();
        after.Cents("priceCents").ShouldBe(3_000);
        after.GetProperty("durationDays").GetInt32().ShouldBe(30);
        after.Str("planNameEn").ShouldBe("30 days");
        after.GetProperty("instructions").Cents("amountDueCents").ShouldBe(3_000);
        (await renter.BuyAsync(planId)).Cents("priceCents").ShouldBe(9_900);
    }

    [Fact]
    public async Task Renters_cannot_manage_plans_and_strangers_cannot_list_all()
    {
        var renter = factory.Renter(Guid.NewGuid());
        (await renter.PostAsJsonAsync("/api/finance/plans", Body())).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await renter.GetAsync("/api/finance/plans/all")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await factory.CreateClient().GetAsync("/api/finance/plans/all")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}

/// <summary>A platform started with plan seeding on (as <c>make up</c> does).</summary>
public sealed class SeedingFinanceApiFactory : FinanceApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Finance:SeedPlans", "true")];
}

public sealed class PlanSeedingTests(SeedingFinanceApiFactory factory) : IClassFixture<SeedingFinanceApiFactory>
{
    [Fact]
    public async Task A_fresh_platform_sells_the_five_plans_of_the_requirements()
    {
        var plans = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/finance/plans");

        plans.EnumerateArray().Select(p => (p.GetProperty("durationDays").GetInt32(), p.Cents("priceCents"), p.GetProperty("trafficQuotaGb").GetInt32()))
            .ShouldBe(PlanSeeder.DefaultPlans.Select(p => (p.Days, p.PriceCents, p.QuotaGb)));
        plans.EnumerateArray().ShouldAllBe(p => p.GetProperty("version").GetInt64() == 1);
    }
}

/// <summary>A service that bound its queue after a plan changed still learns every plan from the periodic announcement.</summary>
public sealed class PlanAnnouncementTests(FinanceApiFactory factory) : IClassFixture<FinanceApiFactory>
{
    [Fact]
    public async Task Every_plan_goes_out_again_as_it_is_now_with_its_current_version()
    {
        await using var probe = await RabbitMqProbe.ForEventAsync<PlanChanged>();
        var id = (await (await factory.Admin().PostAsJsonAsync("/api/finance/plans", new
        {
            nameZh = "7天", nameEn = "7 days", durationDays = 7, priceCents = 700, trafficQuotaGb = 70, sell = true, renew = true, sortOrder = 1,
        })).JsonAsync(HttpStatusCode.Created)).Id();
        (await factory.Admin().PutAsJsonAsync($"/api/finance/plans/{id}", new
        {
            nameZh = "7天", nameEn = "Seven days", durationDays = 7, priceCents = 900, trafficQuotaGb = 70, sell = true, renew = true, sortOrder = 1,
        })).StatusCode.ShouldBe(HttpStatusCode.OK);

        await using (var scope = factory.Services.CreateAsyncScope())
            (await scope.ServiceProvider.GetRequiredService<Derp.Finance.Api.Jobs.PlanAnnouncementJob>().AnnounceAllAsync(CancellationToken.None))
                .ShouldBeGreaterThanOrEqualTo(1);

        // Version 2 twice: once from the change, once from the announcement; no version 3.
        var announced = await probe.CollectAsync(m => m.GetProperty("planId").GetGuid() == id && m.GetProperty("version").GetInt64() == 2, 2);
        announced.ShouldAllBe(m => m.GetProperty("priceCents").GetInt64() == 900 && m.GetProperty("nameEn").GetString() == "Seven days");
    }
}
