using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Finance;
using Derp.Contracts.Serials;
using Derp.Contracts.Users;
using Derp.TestSupport;

namespace Derp.Serials.FunctionalTests;

public sealed class RedeemTests(SerialsApiFactory factory) : IClassFixture<SerialsApiFactory>
{
    private static Task<HttpResponseMessage> RedeemAsync(HttpClient client, string code) =>
        client.PostAsJsonAsync("/api/serials/redeem", new { code });

    [Fact]
    public async Task Redeeming_marks_the_serial_used_logs_it_and_publishes_SerialRedeemed()
    {
        await using var probe = await RabbitMqProbe.ForEventAsync<SerialRedeemed>();
        var admin = factory.Admin();
        var planId = Guid.NewGuid();
        using (var watcher = ConsumeWatcher.Attach(factory.Services))
        {
            var messageId = Guid.NewGuid();
            await factory.SendToConsumerAsync(new PlanChanged(planId, 1, "30天", "30 days", 30, 3000, "CNY", 200, true, true, false, DateTimeOffset.UtcNow), messageId);
            await watcher.ConsumedAsync(messageId);
        }
        var batchId = await admin.CreateBatchAsync(new { prefix = "PLAN", count = 1, kind = "rental", planId });
        var serial = (await admin.SerialsOfBatchAsync(batchId)).Single();
        var (id, code) = (serial.GetProperty("id").GetGuid(), serial.GetProperty("fullCode").GetString()!);
        var userId = Guid.NewGuid();

        // Codes are matched case-insensitively, with surrounding spaces ignored.
        var renter = factory.Renter(userId);
        renter.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.45");
        var response = await RedeemAsync(renter, $"  {code.ToLowerInvariant()} ");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var detail = await admin.GetFromJsonAsync<JsonElement>($"/api/serials/{id}");
        detail.GetProperty("serial").GetProperty("status").GetString().ShouldBe("used");
        detail.GetProperty("serial").GetProperty("userId").GetGuid().ShouldBe(userId);
        var redeemLog = detail.GetProperty("useLog").EnumerateArray().Single(l => l.GetProperty("action").GetString() == "redeem");
        redeemLog.GetProperty("useType").GetString().ShouldBe("membership");
        redeemLog.GetProperty("relatedType").GetString().ShouldBe("plan");
        redeemLog.GetProperty("relatedId").GetString().ShouldBe(planId.ToString());

        var message = await probe.WaitForAsync(m => m.GetProperty("serialId").GetGuid() == id, TimeSpan.FromSeconds(20));
        message.GetProperty("userId").GetGuid().ShouldBe(userId);
        message.GetProperty("kind").GetString().ShouldBe("rental");
        message.GetProperty("planId").GetGuid().ShouldBe(planId);
        message.GetProperty("durationDays").GetInt32().ShouldBe(30);
        message.GetProperty("trafficQuotaGb").GetInt32().ShouldBe(200);
        message.GetProperty("clientIp").GetString().ShouldBe("203.0.113.45"); // for the policy generation log, two hops on
    }

    [Fact]
    public async Task A_closed_account_is_refused_before_the_serial_is_touched()
    {
        var admin = factory.Admin();
        var (id, code) = (await admin.NewSerialsAsync("rental")).Single();
        var userId = Guid.NewGuid();
        var renter = factory.Renter(userId);

        // The account is closed: users announces it, and the event reaches this instance's own queue.
        await RabbitMqProbe.SendToConsumerAsync(factory.EndpointPrefix,
            new UserSessionsRevoked(userId, 1, null, SessionRevocationReasons.Deregistered, DateTimeOffset.UtcNow));
        // An empty code touches nothing: it is refused by validation while the token is accepted.
        await Until.TrueAsync(async () => (await RedeemAsync(renter, "")).StatusCode == HttpStatusCode.Unauthorized,
            "the closed account to be refused", TimeSpan.FromSeconds(20));

        var response = await RedeemAsync(renter, code);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.ProblemCodeAsync()).ShouldBe("session_ended");
        (await admin.GetFromJsonAsync<JsonElement>($"/api/serials/{id}")).GetProperty("serial").GetProperty("status").GetString().ShouldBe("unused");
        (await RedeemAsync(factory.Renter(), code)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Fifty_concurrent_redemptions_of_one_code_give_one_success()
    {
        var (_, code) = (await factory.Admin().NewSerialsAsync("rental")).Single();

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => RedeemAsync(factory.Renter(), code)));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.OK).ToList();
        refused.Count.ShouldBe(49);
        foreach (var response in refused)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await response.ProblemCodeAsync()).ShouldBe("serial_already_used");
        }
    }

    [Fact]
    public async Task Each_refusal_has_its_own_status_and_code()
    {
        var admin = factory.Admin();
        var serials = await admin.NewSerialsAsync("rental", count: 3);
        var renter = factory.Renter();
        await RedeemAsync(renter, serials[0].Code);
        await admin.PatchAsJsonAsync($"/api/serials/{serials[1].Id}", new { status = "disabled" });
        await admin.PatchAsJsonAsync($"/api/serials/{serials[2].Id}", new { validUntil = DateTimeOffset.UtcNow.AddDays(-1) });
        var (_, licence) = (await admin.NewSerialsAsync("licence")).Single();

        async Task Expect(string code, HttpStatusCode status, string problem)
        {
            var response = await RedeemAsync(renter, code);
            response.StatusCode.ShouldBe(status);
            (await response.ProblemCodeAsync()).ShouldBe(problem);
        }

        await Expect("NOPE-DOESNOTEXIST", HttpStatusCode.NotFound, "serial_not_found");
        await Expect(serials[0].Code, HttpStatusCode.Conflict, "serial_already_used");
        await Expect(serials[1].Code, HttpStatusCode.Conflict, "serial_disabled");
        await Expect(serials[2].Code, HttpStatusCode.Gone, "serial_expired");
        await Expect(licence, HttpStatusCode.UnprocessableEntity, "serial_wrong_kind");
    }

    [Theory]
    [InlineData("balance", "points")]
    [InlineData("donation", "donation")]
    public async Task Balance_and_donation_serials_carry_their_value(string kind, string useType)
    {
        await using var probe = await RabbitMqProbe.ForEventAsync<SerialRedeemed>();
        var (id, code) = (await factory.Admin().NewSerialsAsync(kind)).Single();

        var response = await RedeemAsync(factory.Renter(), code);

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("useType").GetString().ShouldBe(useType);
        body.GetProperty("valueCents").GetInt64().ShouldBe(1000);
        (await probe.WaitForAsync(m => m.GetProperty("serialId").GetGuid() == id, TimeSpan.FromSeconds(20)))
            .GetProperty("valueCents").GetInt64().ShouldBe(1000);
    }

    [Fact]
    public async Task Use_type_counts_follow_redemptions()
    {
        var admin = factory.Admin();
        var before = await admin.GetFromJsonAsync<Dictionary<string, int>>("/api/serials/logs/stats");
        var (_, code) = (await admin.NewSerialsAsync("donation")).Single();
        await RedeemAsync(factory.Renter(), code);

        var after = await admin.GetFromJsonAsync<Dictionary<string, int>>("/api/serials/logs/stats");

        after!["donation"].ShouldBe(before!["donation"] + 1);
        after.Keys.ShouldBe(["membership", "donation", "register", "product", "points", "other"], ignoreOrder: true);
    }
}

public sealed class RedeemRateLimitFactory : SerialsApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        base.Settings().Where(s => !s.Key.StartsWith("Serials:RedeemFailures", StringComparison.Ordinal))
            .Append(new("Serials:RedeemFailuresPerUser", "5")).Append(new("Serials:RedeemFailuresPerIp", "8"));
}

public sealed class RedeemRateLimitTests(RedeemRateLimitFactory factory) : IClassFixture<RedeemRateLimitFactory>
{
    [Fact]
    public async Task Guessing_codes_is_limited_per_user_then_per_address()
    {
        var guesser = factory.Renter();
        for (var i = 0; i < 5; i++)
            (await guesser.PostAsJsonAsync("/api/serials/redeem", new { code = $"GUESS-{i:D6}" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var sixth = await guesser.PostAsJsonAsync("/api/serials/redeem", new { code = "GUESS-999999" });
        sixth.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await sixth.ProblemCodeAsync()).ShouldBe("redeem_rate_limited");
        sixth.Headers.RetryAfter.ShouldNotBeNull();

        // Another account from the same address has 3 failures left before the address is blocked too.
        var accomplice = factory.Renter();
        for (var i = 0; i < 3; i++)
            (await accomplice.PostAsJsonAsync("/api/serials/redeem", new { code = $"OTHER-{i:D6}" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await accomplice.PostAsJsonAsync("/api/serials/redeem", new { code = "OTHER-999999" })).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);

        // A real serial still works for someone from another address.
        var (_, code) = (await factory.Admin().NewSerialsAsync("rental")).Single();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/serials/redeem") { Content = JsonContent.Create(new { code }) };
        request.Headers.Add("X-Forwarded-For", "198.51.100.20");
        (await factory.Renter().SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
