using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Distribution;
using Derp.Contracts.Users;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Derp.Distribution.FunctionalTests.Distributors;

public sealed class DistributorsTests(DistributionApiFactory factory) : IClassFixture<DistributionApiFactory>
{
    [Fact]
    public async Task A_renter_applies_an_admin_approves_and_DistributorApproved_leaves_through_the_outbox()
    {
        await using var probe = await RabbitMqProbe.ForEventAsync<DistributorApproved>();
        var userId = Guid.NewGuid();
        await factory.SendAsync(new UserRegistered(userId, $"{userId:N}@example.com", $"u{userId:N}"[..12], "renter", factory.Clock.GetUtcNow()));
        await Until.TrueAsync(() => factory.WithDbAsync(db => db.KnownUsers.AnyAsync(u => u.UserId == userId)), "user known");
        var renter = factory.Renter(userId);

        var application = await (await renter.PostAsJsonAsync("/api/distribution/applications",
            DistributorsTestSupport.Application(Convert.ToBase64String(DistributorsTestSupport.Png)))).JsonAsync(HttpStatusCode.Created);
        application.Str("status").ShouldBe(ApplicationStatuses.Pending);
        application.Str("email").ShouldBe($"{userId:N}@example.com");
        application.GetProperty("hasPayoutQr").GetBoolean().ShouldBeTrue();
        var mine = await renter.GetFromJsonAsync<JsonElement>("/api/distribution/applications/mine");
        mine.EnumerateArray().Single().GetProperty("id").GetGuid().ShouldBe(application.GetProperty("id").GetGuid());

        var admin = factory.Admin();
        var pending = await admin.GetFromJsonAsync<JsonElement>("/api/distribution/applications?status=pending&pageSize=200");
        pending.GetProperty("items").EnumerateArray().ShouldContain(a => a.GetProperty("userId").GetGuid() == userId);

        var distributor = await (await admin.PostAsJsonAsync($"/api/distribution/applications/{application.GetProperty("id").GetGuid()}/approve",
            new { })).JsonAsync();
        distributor.Str("status").ShouldBe(DistributorStatuses.Active);
        distributor.Str("tierCode").ShouldBe(TierCodes.Gold);
        distributor.GetProperty("tierPinned").GetBoolean().ShouldBeFalse();
        distributor.Str("payoutAccount").ShouldBe("zs@example.com");
        var qr = await admin.GetAsync($"/api/distribution/distributors/{userId}/payout-qr");
        qr.Content.Headers.ContentType!.MediaType.ShouldBe("image/png");
        (await qr.Content.ReadAsByteArrayAsync()).ShouldBe(DistributorsTestSupport.Png);

        var message = await probe.WaitForAsync(m => m.GetProperty("userId").GetGuid() == userId, TimeSpan.FromSeconds(20));
        message.GetProperty("tierCode").GetString().ShouldBe(TierCodes.Gold);
        (await factory.WithDbAsync(db => db.Audit.CountAsync(a => a.Action == DistributionAuditActions.ApplicationApproved
            && a.TargetId == application.GetProperty("id").GetGuid().ToString()))).ShouldBe(1);

        // Approved once: a second approval and a new application are refused.
        (await (await admin.PostAsJsonAsync($"/api/distribution/applications/{application.GetProperty("id").GetGuid()}/approve", new { }))
            .ProblemCodeAsync()).ShouldBe("application_not_pending");
        var again = await renter.PostAsJsonAsync("/api/distribution/applications", DistributorsTestSupport.Application());
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await again.ProblemCodeAsync()).ShouldBe("already_distributor");
    }

    [Fact]
    public async Task One_pending_application_per_user_and_a_rejected_one_can_be_followed_by_another()
    {
        var userId = Guid.NewGuid();
        var renter = factory.Renter(userId);
        var applications = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            renter.PostAsJsonAsync("/api/distribution/applications", DistributorsTestSupport.Application())));
        applications.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1);
        foreach (var refused in applications.Where(r => r.StatusCode != HttpStatusCode.Created))
            (await refused.ProblemCodeAsync()).ShouldBe("application_pending");

        var id = (await applications.Single(r => r.StatusCode == HttpStatusCode.Created).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var admin = factory.Admin();
        (await (await admin.PostAsJsonAsync($"/api/distribution/applications/{id}/reject", new { reason = "" })).ProblemCodeAsync())
            .ShouldBe("validation_failed");
        var rejected = await (await admin.PostAsJsonAsync($"/api/distribution/applications/{id}/reject", new { reason = "No shop yet" })).JsonAsync();
        rejected.Str("status").ShouldBe(ApplicationStatuses.Rejected);
        rejected.Str("rejectionReason").ShouldBe("No shop yet");
        (await (await admin.PostAsJsonAsync($"/api/distribution/applications/{id}/reject", new { reason = "again" })).ProblemCodeAsync())
            .ShouldBe("application_not_pending");
        (await factory.WithDbAsync(db => db.Distributors.AnyAsync(d => d.UserId == userId))).ShouldBeFalse();

        await factory.ApplyAsync(userId);
        (await renter.GetFromJsonAsync<JsonElement>("/api/distribution/applications/mine")).GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task An_admin_appoints_suspends_and_reinstates_with_events_for_users_and_audit_rows()
    {
        await using var approved = await RabbitMqProbe.ForEventAsync<DistributorApproved>();
        await using var suspended = await RabbitMqProbe.ForEventAsync<DistributorSuspended>();
        var userId = Guid.NewGuid();
        var appointed = await factory.AppointAsync(userId, TierCodes.WhiteGold);
        appointed.Str("tierCode").ShouldBe(TierCodes.WhiteGold);
        appointed.GetProperty("tierPinned").GetBoolean().ShouldBeTrue();
        (await approved.WaitForAsync(m => m.GetProperty("userId").GetGuid() == userId, TimeSpan.FromSeconds(20)))
            .GetProperty("tierCode").GetString().ShouldBe(TierCodes.WhiteGold);
        var admin = factory.Admin();
        (await (await admin.PostAsJsonAsync("/api/distribution/distributors", DistributorsTestSupport.Appointment(userId))).ProblemCodeAsync())
            .ShouldBe("already_distributor");

        var afterSuspension = await (await admin.PostAsJsonAsync($"/api/distribution/distributors/{userId}/suspend", new { reason = "Reselling abroad" }))
            .JsonAsync();
        afterSuspension.Str("status").ShouldBe(DistributorStatuses.Suspended);
        (await suspended.WaitForAsync(m => m.GetProperty("userId").GetGuid() == userId, TimeSpan.FromSeconds(20)))
            .GetProperty("reason").GetString().ShouldBe("Reselling abroad");
        (await (await admin.PostAsJsonAsync($"/api/distribution/distributors/{userId}/suspend", new { reason = "twice" })).ProblemCodeAsync())
            .ShouldBe("distributor_not_active");
        var suspendedList = await admin.GetFromJsonAsync<JsonElement>("/api/distribution/distributors?status=suspended&pageSize=200");
        suspendedList.GetProperty("items").EnumerateArray().ShouldContain(d => d.GetProperty("userId").GetGuid() == userId);

        (await (await admin.PostAsync($"/api/distribution/distributors/{userId}/reinstate", null)).JsonAsync()).Str("status")
            .ShouldBe(DistributorStatuses.Active);
        await approved.WaitForAsync(m => m.GetProperty("userId").GetGuid() == userId
            && m.GetProperty("approvedAt").GetDateTimeOffset() >= afterSuspension.GetProperty("updatedAt").GetDateTimeOffset(), TimeSpan.FromSeconds(20));
        (await (await admin.PostAsync($"/api/distribution/distributors/{userId}/reinstate", null)).ProblemCodeAsync())
            .ShouldBe("distributor_not_suspended");
        var actions = await factory.WithDbAsync(db => db.Audit.Where(a => a.TargetId == userId.ToString()).Select(a => a.Action).ToListAsync());
        actions.ShouldContain(DistributionAuditActions.DistributorAppointed);
        actions.ShouldContain(DistributionAuditActions.DistributorSuspended);
        (await (await admin.PostAsync($"/api/distribution/distributors/{Guid.NewGuid()}/reinstate", null)).ProblemCodeAsync())
            .ShouldBe("distributor_not_found");
        (await admin.GetAsync($"/api/distribution/distributors/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Tiers_are_seeded_readable_by_everyone_signed_in_and_edited_only_by_a_superadmin()
    {
        var tiers = await factory.Renter(Guid.NewGuid()).GetFromJsonAsync<JsonElement>("/api/distribution/tiers");
        var seeded = tiers.EnumerateArray().Where(t => TierCodes.All.Contains(t.Str("code"))).ToList();
        seeded.Select(t => t.Str("code")).ShouldBe([TierCodes.Gold, TierCodes.WhiteGold, TierCodes.Platinum]);
        seeded.Select(t => t.GetProperty("rateBasisPoints").GetInt32()).ShouldBe([1000, 1500, 2000]);
        seeded.ShouldAllBe(t => t.GetProperty("holdingDays").GetInt32() == 7 && t.GetProperty("minimumPayoutCents").GetInt64() == 10_000);
        (await factory.CreateClient().GetAsync("/api/distribution/tiers")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var code = $"t{Guid.NewGuid():N}"[..12];
        var tier = new
        {
            code, nameZh = "钻石", nameEn = "Diamond", rateBasisPoints = 2500, holdingDays = 14, minimumPayoutCents = 20_000,
            promotionTurnoverCents = (long?)null, sortOrder = 1000,
        };
        (await factory.Admin().PostAsJsonAsync("/api/distribution/tiers", tier)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await factory.Distributor(Guid.NewGuid()).PostAsJsonAsync("/api/distribution/tiers", tier)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var superAdmin = factory.SuperAdmin();
        (await (await superAdmin.PostAsJsonAsync("/api/distribution/tiers", tier)).JsonAsync(HttpStatusCode.Created)).Str("nameEn").ShouldBe("Diamond");
        (await (await superAdmin.PostAsJsonAsync("/api/distribution/tiers", tier)).ProblemCodeAsync()).ShouldBe("tier_exists");

        var edited = await (await superAdmin.PutAsJsonAsync($"/api/distribution/tiers/{code}", tier with { rateBasisPoints = 2600 })).JsonAsync();
        edited.GetProperty("rateBasisPoints").GetInt32().ShouldBe(2600);
        (await factory.Admin().PutAsJsonAsync($"/api/distribution/tiers/{code}", tier)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await (await superAdmin.PutAsJsonAsync("/api/distribution/tiers/nosuchtier", tier with { code = "nosuchtier" })).ProblemCodeAsync())
            .ShouldBe("tier_not_found");
        foreach (var bad in new[]
                 {
                     tier with { rateBasisPoints = 10_001 }, tier with { rateBasisPoints = -1 }, tier with { holdingDays = -1 },
                     tier with { minimumPayoutCents = -5 }, tier with { nameZh = " " }, tier with { code = "Bad Code" },
                 })
        {
            var refused = await superAdmin.PutAsJsonAsync($"/api/distribution/tiers/{code}", bad);
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await refused.ProblemCodeAsync()).ShouldBe("validation_failed");
        }
        (await factory.WithDbAsync(db => db.Audit.CountAsync(a => a.Action == DistributionAuditActions.TierEdited && a.TargetId == code))).ShouldBe(2);
    }

    [Fact]
    public async Task Bad_input_gets_problems_with_stable_codes()
    {
        var renter = factory.Renter(Guid.NewGuid());
        foreach (var (body, code) in new (object, string)[]
                 {
                     (new { contactName = "", contact = "x", payoutChannel = "alipay", payoutAccountName = "a", payoutAccount = "b" }, "validation_failed"),
                     (new { contactName = "a", contact = "x", payoutChannel = "paypal", payoutAccountName = "a", payoutAccount = "b" }, "validation_failed"),
                     (DistributorsTestSupport.Application("bm90IGFuIGltYWdl"), "payout_qr_invalid"),
                     (DistributorsTestSupport.Application("%%%"), "payout_qr_invalid"),
                     (DistributorsTestSupport.Application(Convert.ToBase64String(new byte[600 * 1024])), "payout_qr_invalid"),
                 })
        {
            var refused = await renter.PostAsJsonAsync("/api/distribution/applications", body);
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await refused.ProblemCodeAsync()).ShouldBe(code);
        }
        var admin = factory.Admin();
        (await (await admin.PostAsJsonAsync($"/api/distribution/applications/{Guid.NewGuid()}/approve", new { })).ProblemCodeAsync())
            .ShouldBe("application_not_found");
        var id = await factory.ApplyAsync(Guid.NewGuid());
        (await (await admin.PostAsJsonAsync($"/api/distribution/applications/{id}/approve", new { tierCode = "nosuch" })).ProblemCodeAsync())
            .ShouldBe("validation_failed");
        (await (await admin.PostAsJsonAsync("/api/distribution/distributors", DistributorsTestSupport.Appointment(Guid.NewGuid(), "nosuch")))
            .ProblemCodeAsync()).ShouldBe("validation_failed");
        (await (await admin.PostAsJsonAsync("/api/distribution/distributors", DistributorsTestSupport.Appointment(Guid.Empty))).ProblemCodeAsync())
            .ShouldBe("validation_failed");
        (await (await admin.GetAsync("/api/distribution/applications?status=nonsense")).ProblemCodeAsync()).ShouldBe("validation_failed");
        (await (await admin.GetAsync("/api/distribution/distributors?page=0")).ProblemCodeAsync()).ShouldBe("validation_failed");
        (await (await admin.PutAsJsonAsync($"/api/distribution/distributors/{Guid.NewGuid()}/tier", new { tierCode = "gold", reason = "x" }))
            .ProblemCodeAsync()).ShouldBe("distributor_not_found");
    }

    [Fact]
    public async Task Renters_and_distributors_cannot_read_or_decide_applications_and_distributors()
    {
        var distributorId = Guid.NewGuid();
        await factory.AppointAsync(distributorId);
        var applicationId = await factory.ApplyAsync(Guid.NewGuid());
        foreach (var client in new[] { factory.Distributor(distributorId), factory.Renter(Guid.NewGuid()) })
        {
            (await client.GetAsync("/api/distribution/applications")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await client.GetAsync("/api/distribution/distributors")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await client.GetAsync($"/api/distribution/distributors/{distributorId}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await client.PostAsJsonAsync($"/api/distribution/applications/{applicationId}/approve", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await client.PostAsJsonAsync($"/api/distribution/distributors/{distributorId}/suspend", new { reason = "x" })).StatusCode
                .ShouldBe(HttpStatusCode.Forbidden);
            (await client.PutAsJsonAsync($"/api/distribution/distributors/{distributorId}/tier", new { tierCode = "platinum", reason = "x" })).StatusCode
                .ShouldBe(HttpStatusCode.Forbidden);
        }
        (await factory.CreateClient().PostAsJsonAsync("/api/distribution/applications", DistributorsTestSupport.Application())).StatusCode
            .ShouldBe(HttpStatusCode.Unauthorized);
        // Another user's application is not in "mine".
        (await factory.Renter(Guid.NewGuid()).GetFromJsonAsync<JsonElement>("/api/distribution/applications/mine")).GetArrayLength().ShouldBe(0);
    }
}
