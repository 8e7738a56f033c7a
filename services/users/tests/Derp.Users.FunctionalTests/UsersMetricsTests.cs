using System.Net;
using System.Net.Http.Json;
using Derp.Contracts.Serials;
using Derp.TestSupport;

namespace Derp.Users.FunctionalTests;

/// <summary>The users service's figures move when the business event happens, as Prometheus reads them from /metrics.</summary>
public sealed class UsersMetricsTests(UsersApiFactory factory) : IClassFixture<UsersApiFactory>
{
    private Task<ScrapedMetrics> ScrapeAsync() => ScrapedMetrics.ReadAsync(factory.CreateClient());

    [Fact]
    public async Task Registration_login_mail_and_a_rental_show_on_metrics()
    {
        var before = await ScrapeAsync();
        var client = factory.CreateClient();
        var email = UsersApiClient.NewEmail();

        var tokens = await client.RegisterVerifiedAsync(email);
        (await client.LoginAsync(email, "wrong-password-1")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var after = await Until.ValueAsync(ScrapeAsync,
            m => m.Value("derp_mails_total", "result=\"sent\"") > before.Value("derp_mails_total", "result=\"sent\""), "the verification mail counted");
        after.Value("derp_users_registrations_total").ShouldBeGreaterThan(before.Value("derp_users_registrations_total"));
        after.Value("derp_users_logins_total", "result=\"succeeded\"").ShouldBeGreaterThan(before.Value("derp_users_logins_total", "result=\"succeeded\""));
        after.Value("derp_users_logins_total", "result=\"failed\"").ShouldBeGreaterThan(before.Value("derp_users_logins_total", "result=\"failed\""));

        var me = await factory.ClientWithToken(tokens.AccessToken).GetFromJsonAsync<System.Text.Json.JsonElement>("/api/users/me");
        await RabbitMqProbe.SendToConsumerAsync(factory.EndpointPrefix, new SerialRedeemed(Guid.NewGuid(), "VIP-TEST", me.GetProperty("id").GetGuid(),
            "rental", "membership", null, 3, null, 100, null, null, DateTimeOffset.UtcNow));

        var rented = await Until.ValueAsync(ScrapeAsync,
            m => m.Value("derp_users_active_rentals") == 1 && m.Value("derp_users_rentals_expiring_7d") == 1, "the rental in the gauges");
        rented.Has("derp_outbox_backlog").ShouldBeTrue();
        rented.Has("derp_outbox_oldest_age_seconds").ShouldBeTrue();
    }
}
