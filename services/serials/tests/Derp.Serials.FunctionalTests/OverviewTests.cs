using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.TestSupport;

namespace Derp.Serials.FunctionalTests;

/// <summary>The serials' overview figures after real batches and redemptions, and the lists they link to.</summary>
public sealed class OverviewTests(SerialsApiFactory factory) : IClassFixture<SerialsApiFactory>
{
    [Fact]
    public async Task Redemptions_today_and_this_week_and_unused_serials_follow_the_redemptions_day_by_day()
    {
        var admin = factory.Admin();
        var serials = await admin.NewSerialsAsync(count: 3);
        var redeem = await factory.Renter().PostAsJsonAsync("/api/serials/redeem", new { code = serials[0].Code });
        redeem.StatusCode.ShouldBe(HttpStatusCode.OK, await redeem.Content.ReadAsStringAsync());

        var overview = await admin.GetFromJsonAsync<JsonElement>("/api/serials/admin/overview");
        Value(overview, "redemptionsToday").ShouldBe(1);
        Value(overview, "redemptionsThisWeek").ShouldBe(1);
        Value(overview, "unusedSerials").ShouldBe(2);
        (await admin.GetFromJsonAsync<JsonElement>("/api/serials?status=unused")).GetProperty("total").GetInt32().ShouldBe(2);
        var from = Uri.EscapeDataString(overview.GetProperty("todayFrom").GetDateTimeOffset().ToString("O"));
        (await admin.GetFromJsonAsync<JsonElement>($"/api/serials/logs?action=redeem&from={from}")).GetProperty("total").GetInt32().ShouldBe(1);
        var unused = Points(overview, "unusedSerials");
        unused.Count.ShouldBe(14);
        unused[^1].V.ShouldBe(2);
        unused[^2].V.ShouldBe(0, "at the end of yesterday the batch did not exist yet");

        // Two days later the redemption is no longer today's but still this week's, two points back in the sparkline.
        factory.Clock.Advance(TimeSpan.FromDays(2));
        var later = await admin.GetFromJsonAsync<JsonElement>("/api/serials/admin/overview");
        Value(later, "redemptionsToday").ShouldBe(0);
        Value(later, "redemptionsThisWeek").ShouldBe(1);
        var daily = Points(later, "redemptionsToday");
        daily.Count.ShouldBe(14);
        daily[^3].V.ShouldBe(1);
        daily.Sum(p => p.V).ShouldBe(1);
        Points(later, "unusedSerials")[^3].V.ShouldBe(2);

        // Eight days later it has left the week too.
        factory.Clock.Advance(TimeSpan.FromDays(6));
        Value(await admin.GetFromJsonAsync<JsonElement>("/api/serials/admin/overview"), "redemptionsThisWeek").ShouldBe(0);
        (await factory.Renter().GetAsync("/api/serials/admin/overview")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    private static double Value(JsonElement overview, string figure) => overview.GetProperty(figure).GetProperty("value").GetDouble();

    private static List<(DateTimeOffset T, double V)> Points(JsonElement overview, string figure) =>
        overview.GetProperty(figure).GetProperty("points").EnumerateArray()
            .Select(p => (p.GetProperty("t").GetDateTimeOffset(), p.GetProperty("v").GetDouble())).ToList();
}
