using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Serials;
using Derp.TestSupport;

namespace Derp.Serials.FunctionalTests;

/// <summary>
/// Seed 004: balance and donation serials point their use-log row at the finance record their use creates (chosen by
/// serials, carried on SerialRedeemed), and the admin API answers seed 004's three queries.
/// </summary>
public sealed class FinanceUseTests(SerialsApiFactory factory) : IClassFixture<SerialsApiFactory>
{
    private static Task<HttpResponseMessage> RedeemAsync(HttpClient client, object body) => client.PostAsJsonAsync("/api/serials/redeem", body);

    private async Task<List<JsonElement>> UseLogsAsync(string query) =>
        (await factory.Admin().GetFromJsonAsync<JsonElement>($"/api/serials/logs?{query}&pageSize=500")).GetProperty("items").EnumerateArray().ToList();

    private async Task<Dictionary<string, (int Count, int DistinctSerials)>> StatsAsync() =>
        (await factory.Admin().GetFromJsonAsync<JsonElement>("/api/serials/use-logs/stats")).EnumerateArray()
            .ToDictionary(s => s.GetProperty("useType").GetString()!, s => (s.GetProperty("count").GetInt32(), s.GetProperty("distinctSerials").GetInt32()));

    [Fact]
    public async Task A_donation_use_points_at_its_donation_and_SerialRedeemed_carries_it_with_the_donors_words()
    {
        await using var probe = await RabbitMqProbe.ForEventAsync<SerialRedeemed>();
        var (serialId, code) = (await factory.Admin().NewSerialsAsync("donation", extra: new { valueCents = 2500 })).Single();
        var userId = Guid.NewGuid();

        var response = await RedeemAsync(factory.Renter(userId), new { code, donorName = "  小明 ", message = "谢谢你们的服务", anonymous = true });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var donationId = body.GetProperty("relatedId").GetGuid();
        donationId.ShouldNotBe(Guid.Empty);
        body.GetProperty("valueCents").GetInt64().ShouldBe(2500);

        // Seed 004, second query: the card key of a donation.
        var row = (await UseLogsAsync($"relatedType=donation&relatedId={donationId.ToString().ToUpperInvariant()}")).ShouldHaveSingleItem();
        row.GetProperty("fullCode").GetString().ShouldBe(code);
        row.GetProperty("serialId").GetGuid().ShouldBe(serialId);
        row.GetProperty("useType").GetString().ShouldBe("donation");
        row.GetProperty("action").GetString().ShouldBe("redeem");
        row.GetProperty("userId").GetGuid().ShouldBe(userId);

        var redeemed = await probe.WaitForAsync(m => m.GetProperty("serialId").GetGuid() == serialId, TimeSpan.FromSeconds(20));
        redeemed.GetProperty("relatedId").GetGuid().ShouldBe(donationId);
        redeemed.GetProperty("kind").GetString().ShouldBe("donation");
        redeemed.GetProperty("valueCents").GetInt64().ShouldBe(2500);
        redeemed.GetProperty("donorName").GetString().ShouldBe("小明");
        redeemed.GetProperty("donationMessage").GetString().ShouldBe("谢谢你们的服务");
        redeemed.GetProperty("donationAnonymous").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task A_balance_use_points_at_its_ledger_entry_and_carries_no_donor_words()
    {
        await using var probe = await RabbitMqProbe.ForEventAsync<SerialRedeemed>();
        var (serialId, code) = (await factory.Admin().NewSerialsAsync("balance", extra: new { valueCents = 5000 })).Single();

        var response = await RedeemAsync(factory.Renter(), new { code, donorName = "ignored", message = "ignored", anonymous = true });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var entryId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("relatedId").GetGuid();
        var row = (await UseLogsAsync($"relatedType=ledger_entry&relatedId={entryId}")).ShouldHaveSingleItem();
        row.GetProperty("fullCode").GetString().ShouldBe(code);
        row.GetProperty("useType").GetString().ShouldBe("points");

        var redeemed = await probe.WaitForAsync(m => m.GetProperty("serialId").GetGuid() == serialId, TimeSpan.FromSeconds(20));
        redeemed.GetProperty("relatedId").GetGuid().ShouldBe(entryId);
        redeemed.GetProperty("valueCents").GetInt64().ShouldBe(5000);
        redeemed.GetProperty("donorName").ValueKind.ShouldBe(JsonValueKind.Null);
        redeemed.GetProperty("donationMessage").ValueKind.ShouldBe(JsonValueKind.Null);
        redeemed.GetProperty("donationAnonymous").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task A_rental_use_has_no_finance_record()
    {
        var (_, code) = (await factory.Admin().NewSerialsAsync("rental")).Single();

        var body = await (await RedeemAsync(factory.Renter(), new { code })).Content.ReadFromJsonAsync<JsonElement>();

        body.GetProperty("relatedId").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task Use_log_filters_and_use_type_figures_match_what_was_done()
    {
        var admin = factory.Admin();
        var before = await StatsAsync();
        var donations = await admin.NewSerialsAsync("donation", count: 2);
        var (balanceId, balanceCode) = (await admin.NewSerialsAsync("balance")).Single();
        foreach (var (_, code) in donations)
            (await RedeemAsync(factory.Renter(), new { code, donorName = "A" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await RedeemAsync(factory.Renter(), new { code = balanceCode })).StatusCode.ShouldBe(HttpStatusCode.OK);
        // Two admin actions on one serial: two rows of type other, one serial.
        (await admin.PatchAsJsonAsync($"/api/serials/{balanceId}", new { remark = "checked" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.PatchAsJsonAsync($"/api/serials/{balanceId}", new { remark = "checked again" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var after = await StatsAsync();

        after.Keys.ShouldBe(UseTypes.All, ignoreOrder: true);
        (after["donation"].Count - before["donation"].Count, after["donation"].DistinctSerials - before["donation"].DistinctSerials).ShouldBe((2, 2));
        (after["points"].Count - before["points"].Count, after["points"].DistinctSerials - before["points"].DistinctSerials).ShouldBe((1, 1));
        (after["other"].Count - before["other"].Count, after["other"].DistinctSerials - before["other"].DistinctSerials).ShouldBe((2, 1));
        after["membership"].ShouldBe(before["membership"]);

        // Seed 004, first query: every donation use, each with its card key and its donation.
        var donationRows = await UseLogsAsync("useType=donation");
        var codes = donations.Select(d => d.Code).ToList();
        var ours = donationRows.Where(r => codes.Contains(r.GetProperty("fullCode").GetString()!)).ToList();
        ours.Count.ShouldBe(2);
        ours.ShouldAllBe(r => r.GetProperty("relatedType").GetString() == "donation" && r.GetProperty("relatedId").GetString() != null);
        donationRows.ShouldAllBe(r => r.GetProperty("useType").GetString() == "donation");
    }

    [Fact]
    public async Task The_use_type_figures_are_ordered_most_used_first()
    {
        var stats = (await factory.Admin().GetFromJsonAsync<JsonElement>("/api/serials/use-logs/stats")).EnumerateArray()
            .Select(s => s.GetProperty("count").GetInt32()).ToList();

        stats.ShouldBe(stats.OrderByDescending(c => c).ToList());
    }

    [Theory]
    [InlineData("relatedType=wallet", "relatedType")]
    [InlineData("useType=gift", "useType")]
    public async Task Unknown_use_log_filters_are_refused(string query, string field)
    {
        var response = await factory.Admin().GetAsync($"/api/serials/logs?{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBe("validation_failed");
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    public static TheoryData<string, object> BadDonorInput => new()
    {
        { "donorName", new { donorName = new string('名', 65) } },
        { "donorName", new { donorName = "Alice\u202Eecila" } },
        { "message", new { message = new string('x', 501) } },
    };

    [Theory]
    [MemberData(nameof(BadDonorInput))]
    public async Task Bad_donor_input_is_refused_and_leaves_the_serial_unused(string field, object input)
    {
        var (serialId, code) = (await factory.Admin().NewSerialsAsync("donation")).Single();
        var body = JsonSerializer.SerializeToElement(input, JsonSerializerOptions.Web).EnumerateObject()
            .ToDictionary(p => p.Name, p => (object?)p.Value.GetString());
        body["code"] = code;

        var response = await RedeemAsync(factory.Renter(), body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBe("validation_failed");
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
        (await factory.Admin().GetFromJsonAsync<JsonElement>($"/api/serials/{serialId}")).GetProperty("serial").GetProperty("status").GetString().ShouldBe("unused");
    }

    [Fact]
    public async Task The_longest_donor_input_is_accepted()
    {
        var (_, code) = (await factory.Admin().NewSerialsAsync("donation")).Single();

        var response = await RedeemAsync(factory.Renter(), new { code, donorName = new string('名', 64), message = new string('谢', 500) });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}
