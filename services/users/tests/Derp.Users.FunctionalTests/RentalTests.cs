using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Acl;
using Derp.Contracts.Serials;
using Derp.Contracts.Servers;
using Derp.Contracts.Users;
using Derp.TestSupport;
using Derp.Users.Api.Infrastructure;
using Derp.Users.Api.Jobs;
using Derp.Users.Api.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Users.FunctionalTests;

/// <summary>Renters whose rentals are driven by real events on RabbitMQ, with the service's clock under the test's control.</summary>
public sealed class RentalTests(UsersApiFactory factory) : IClassFixture<UsersApiFactory>
{
    private sealed record Renter(Guid Id, string Email, HttpClient Client);

    private async Task<Renter> NewRenterAsync()
    {
        var email = UsersApiClient.NewEmail();
        var tokens = await factory.CreateClient().RegisterVerifiedAsync(email);
        var client = factory.ClientWithToken(tokens.AccessToken);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/users/me");
        return new Renter(me.GetProperty("id").GetGuid(), email, client);
    }

    private static SerialRedeemed Redemption(Guid userId, int days = 30, Guid? serialId = null) =>
        new(serialId ?? Guid.NewGuid(), "VIP-TEST", userId, "rental", "membership", null, days, null, 100, null, null, DateTimeOffset.UtcNow);

    private Task SendAsync<T>(T message, Guid? messageId = null) where T : class =>
        RabbitMqProbe.SendToConsumerAsync(factory.EndpointPrefix, message, messageId);

    private static async Task<JsonElement> WaitForRentalAsync(Renter renter, Func<JsonElement, bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await renter.Client.GetAsync("/api/users/me/rental");
            if (response.IsSuccessStatusCode)
            {
                var rental = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (until(rental))
                    return rental;
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Rental never matched; last answer {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(150);
        }
    }

    private async Task WithScopeAsync(Func<IServiceProvider, Task> action)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await action(scope.ServiceProvider);
    }

    [Fact]
    public async Task A_redeemed_rental_serial_starts_a_rental_and_publishes_RentalActivated()
    {
        await using var probe = await RabbitMqProbe.ForEventAsync<RentalActivated>();
        var renter = await NewRenterAsync();
        (await renter.Client.GetAsync("/api/users/me/rental")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        await SendAsync(Redemption(renter.Id, days: 30) with { ClientIp = "203.0.113.46" });

        var rental = await WaitForRentalAsync(renter, r => r.GetProperty("status").GetString() == "active");
        rental.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(factory.Clock.GetUtcNow().AddDays(30), TimeSpan.FromSeconds(1));
        rental.GetProperty("daysLeft").GetInt32().ShouldBe(30);
        rental.GetProperty("trafficQuotaGb").GetInt32().ShouldBe(100);
        rental.GetProperty("serviceState").GetString().ShouldBe("provisioning");
        rental.GetProperty("history").GetArrayLength().ShouldBe(1);
        var activated = await probe.WaitForAsync(m => m.GetProperty("userId").GetGuid() == renter.Id, TimeSpan.FromSeconds(20));
        activated.GetProperty("trafficQuotaGb").GetInt32().ShouldBe(100);
        activated.GetProperty("clientIp").GetString().ShouldBe("203.0.113.46"); // the redemption's address travels on
        await MailSink.WaitForMailAsync(renter.Email, m => m.Subject.Contains("租赁已开通", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_serial_stacks_on_the_current_expiry_and_a_redelivered_event_changes_nothing()
    {
        var renter = await NewRenterAsync();
        var first = Redemption(renter.Id, days: 30);
        var firstMessage = Guid.NewGuid();
        await SendAsync(first, firstMessage);
        var started = await WaitForRentalAsync(renter, _ => true);

        factory.Clock.Advance(TimeSpan.FromDays(10));
        await SendAsync(Redemption(renter.Id, days: 5));
        await SendAsync(first, firstMessage);        // redelivered: same message id
        await SendAsync(first, Guid.NewGuid());      // the same serial again under another message id

        var stacked = await WaitForRentalAsync(renter, r => r.GetProperty("history").GetArrayLength() == 2);
        await Task.Delay(1500); // give the duplicates every chance to do harm
        stacked = await WaitForRentalAsync(renter, _ => true);
        stacked.GetProperty("history").GetArrayLength().ShouldBe(2);
        stacked.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(started.GetProperty("expiresAt").GetDateTimeOffset().AddDays(5));
    }

    [Fact]
    public async Task Expiry_stops_the_rental_and_renewal_after_expiry_starts_from_now()
    {
        await using var expiredProbe = await RabbitMqProbe.ForEventAsync<RentalExpired>();
        await using var extendedProbe = await RabbitMqProbe.ForEventAsync<RentalExtended>();
        var renter = await NewRenterAsync();
        await SendAsync(Redemption(renter.Id, days: 3));
        var rental = await WaitForRentalAsync(renter, _ => true);
        var rentalId = rental.GetProperty("id").GetGuid();

        factory.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        await WithScopeAsync(sp => sp.GetRequiredService<RentalLifecycle>().ExpireDueAsync(CancellationToken.None));

        var expired = await WaitForRentalAsync(renter, r => r.GetProperty("status").GetString() == "expired");
        expired.GetProperty("serviceState").GetString().ShouldBe("stopped");
        await expiredProbe.WaitForAsync(m => m.GetProperty("rentalId").GetGuid() == rentalId, TimeSpan.FromSeconds(20));

        factory.Clock.Advance(TimeSpan.FromDays(2));
        await SendAsync(Redemption(renter.Id, days: 30));
        var renewed = await WaitForRentalAsync(renter, r => r.GetProperty("status").GetString() == "active");
        renewed.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(factory.Clock.GetUtcNow().AddDays(30), TimeSpan.FromSeconds(1));
        (await extendedProbe.WaitForAsync(m => m.GetProperty("rentalId").GetGuid() == rentalId, TimeSpan.FromSeconds(20)))
            .GetProperty("wasExpired").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Reminders_go_out_exactly_once_at_seven_three_and_one_days()
    {
        var renter = await NewRenterAsync();
        await SendAsync(Redemption(renter.Id, days: 10));
        var expiresAt = (await WaitForRentalAsync(renter, _ => true)).GetProperty("expiresAt").GetDateTimeOffset();

        async Task RunRemindersTwiceAt(TimeSpan beforeExpiry)
        {
            factory.Clock.Set(expiresAt - beforeExpiry);
            await WithScopeAsync(sp => sp.GetRequiredService<RentalLifecycle>().SendRemindersAsync(CancellationToken.None));
            await WithScopeAsync(sp => sp.GetRequiredService<RentalLifecycle>().SendRemindersAsync(CancellationToken.None));
        }

        await RunRemindersTwiceAt(TimeSpan.FromDays(8));    // too early: nothing
        await RunRemindersTwiceAt(TimeSpan.FromDays(6.5));  // 7-day reminder
        await RunRemindersTwiceAt(TimeSpan.FromDays(6));    // still the 7-day window: nothing new
        await RunRemindersTwiceAt(TimeSpan.FromDays(2.5));  // 3-day reminder
        await RunRemindersTwiceAt(TimeSpan.FromHours(12));  // 1-day reminder
        await RunRemindersTwiceAt(TimeSpan.FromHours(1));   // nothing new

        var reminders = await MailSink.WaitForMailAsync(renter.Email, m => m.Subject.Contains("天内到期", StringComparison.Ordinal), skip: 2);
        reminders.ShouldNotBeNull();
        await Task.Delay(1000);
        var subjects = MailSink.MailsTo(renter.Email).Select(m => m.Subject).Where(s => s.Contains("天内到期", StringComparison.Ordinal)).ToList();
        subjects.Count.ShouldBe(3);
        subjects.ShouldContain(s => s.Contains(" 7 ", StringComparison.Ordinal));
        subjects.ShouldContain(s => s.Contains(" 3 ", StringComparison.Ordinal));
        subjects.ShouldContain(s => s.Contains(" 1 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Thirty_days_after_expiry_the_account_is_deregistered_and_kept_as_history()
    {
        await using var probe = await RabbitMqProbe.ForEventAsync<UserDeregistered>();
        var renter = await NewRenterAsync();
        await SendAsync(Redemption(renter.Id, days: 3));
        await WaitForRentalAsync(renter, _ => true);
        (await renter.Client.PostAsJsonAsync("/api/users/me/devices", new { name = "laptop", machineCode = "M", nodeKey = "nodekey:" + new string('a', 64) }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        factory.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        await WithScopeAsync(sp => sp.GetRequiredService<RentalLifecycle>().ExpireDueAsync(CancellationToken.None));

        async Task<string> StatusAfterJobAsync()
        {
            var status = "";
            await WithScopeAsync(async sp =>
            {
                await ActivatorUtilities.CreateInstance<DeregistrationJob>(sp).DeregisterLapsedAsync(CancellationToken.None);
                status = (await sp.GetRequiredService<UsersContext>().Users.AsNoTracking().SingleAsync(u => u.Id == renter.Id)).Status;
            });
            return status;
        }

        factory.Clock.Advance(TimeSpan.FromDays(29));
        (await StatusAfterJobAsync()).ShouldBe("active");
        factory.Clock.Advance(TimeSpan.FromDays(2));
        (await StatusAfterJobAsync()).ShouldBe("deregistered");

        await probe.WaitForAsync(m => m.GetProperty("userId").GetGuid() == renter.Id, TimeSpan.FromSeconds(20));
        var login = await factory.CreateClient().LoginAsync(renter.Email);
        login.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await login.ProblemCodeAsync()).ShouldBe("account_deregistered");
        var admin = factory.ClientWithToken((await factory.CreateClient().LoginTokensAsync(factory.AdminEmail, UsersApiFactory.AdminPassword)).AccessToken);
        var history = await admin.GetFromJsonAsync<JsonElement>($"/api/users?status=deregistered&q={renter.Email}");
        history.GetProperty("total").GetInt32().ShouldBe(1);
        (await admin.GetFromJsonAsync<JsonElement>($"/api/users/{renter.Id}/rental")).GetProperty("history").GetArrayLength().ShouldBe(1);
        await WithScopeAsync(async sp => (await sp.GetRequiredService<UsersContext>().Devices.CountAsync(d => d.UserId == renter.Id)).ShouldBe(0));
    }

    [Fact]
    public async Task Containers_and_policy_make_the_service_ready_and_the_renter_is_mailed_about_the_policy_and_quota()
    {
        var renter = await NewRenterAsync();
        await SendAsync(Redemption(renter.Id));
        var rentalId = (await WaitForRentalAsync(renter, _ => true)).GetProperty("id").GetGuid();

        await SendAsync(new ContainersProvisioned(renter.Id, rentalId, [new RelayNode("sh", "Shanghai", "relay-1", "203.0.113.1", 8443, 3478)], DateTimeOffset.UtcNow));
        await SendAsync(new AclGenerated(renter.Id, 1, "provisioned", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(32)));
        var ready = await WaitForRentalAsync(renter, r => r.GetProperty("serviceState").GetString() == "ready");
        ready.GetProperty("policyVersion").GetInt32().ShouldBe(1);
        await MailSink.WaitForMailAsync(renter.Email, m => m.Subject.Contains("版本 1", StringComparison.Ordinal));

        await SendAsync(new TrafficQuotaExceeded(renter.Id, rentalId, 101L << 30, 100L << 30, DateTimeOffset.UtcNow));
        var stopped = await WaitForRentalAsync(renter, r => r.GetProperty("serviceState").GetString() == "stopped");
        stopped.GetProperty("trafficUsedBytes").GetInt64().ShouldBe(101L << 30);
        await MailSink.WaitForMailAsync(renter.Email, m => m.Subject.Contains("流量已用尽", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Relays_being_moved_read_provisioning_until_their_policy_exists()
    {
        var renter = await NewRenterAsync();
        await SendAsync(Redemption(renter.Id));
        var rentalId = (await WaitForRentalAsync(renter, _ => true)).GetProperty("id").GetGuid();
        var start = DateTimeOffset.UtcNow;
        await SendAsync(new ContainersProvisioned(renter.Id, rentalId, [new RelayNode("sh", "Shanghai", "relay-1", "203.0.113.1", 8443, 3478)], start));
        await SendAsync(new AclGenerated(renter.Id, 1, "provisioned", start.AddSeconds(1), start.AddDays(32)));
        await WaitForRentalAsync(renter, r => r.GetProperty("serviceState").GetString() == "ready");

        await SendAsync(new ContainersProvisioned(renter.Id, rentalId, [new RelayNode("hk", "Hong Kong", "relay-2", "203.0.113.2", 8443, 3478)],
            start.AddMinutes(5), ProvisioningReasons.HostRemoved));
        var moving = await WaitForRentalAsync(renter, r => r.GetProperty("serviceState").GetString() != "ready");
        moving.GetProperty("serviceState").GetString().ShouldBe("provisioning");

        // A late copy of the old relay set changes nothing; the policy made from the new set makes it ready again.
        await SendAsync(new ContainersProvisioned(renter.Id, rentalId, [new RelayNode("sh", "Shanghai", "relay-1", "203.0.113.1", 8443, 3478)], start));
        await SendAsync(new AclGenerated(renter.Id, 2, "host_removed", start.AddMinutes(5).AddSeconds(1), start.AddDays(32)));
        var ready = await WaitForRentalAsync(renter, r => r.GetProperty("serviceState").GetString() == "ready");
        ready.GetProperty("policyVersion").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task A_closed_accounts_rental_is_closed_stopped_and_not_counted_as_active()
    {
        var renter = await NewRenterAsync();
        await SendAsync(Redemption(renter.Id));
        var rentalId = (await WaitForRentalAsync(renter, _ => true)).GetProperty("id").GetGuid();
        var now = DateTimeOffset.UtcNow;
        await SendAsync(new ContainersProvisioned(renter.Id, rentalId, [new RelayNode("sh", "Shanghai", "relay-1", "203.0.113.1", 8443, 3478)], now));
        await SendAsync(new AclGenerated(renter.Id, 1, "provisioned", now.AddSeconds(1), now.AddDays(32)));
        await WaitForRentalAsync(renter, r => r.GetProperty("serviceState").GetString() == "ready");

        using var close = new HttpRequestMessage(HttpMethod.Delete, "/api/users/me") { Content = JsonContent.Create(new { password = UsersApiClient.Password }) };
        (await renter.Client.SendAsync(close)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var admin = factory.ClientWithToken((await factory.CreateClient().LoginTokensAsync(factory.AdminEmail, UsersApiFactory.AdminPassword)).AccessToken);
        var rental = await admin.GetFromJsonAsync<JsonElement>($"/api/users/{renter.Id}/rental");
        rental.GetProperty("status").GetString().ShouldBe("closed");
        rental.GetProperty("serviceState").GetString().ShouldBe("stopped");
        var active = await admin.GetFromJsonAsync<JsonElement>("/api/users/rentals?status=active&pageSize=200");
        active.GetProperty("items").EnumerateArray().ShouldNotContain(r => r.GetProperty("userId").GetGuid() == renter.Id);
        var expiring = await admin.GetFromJsonAsync<JsonElement>("/api/users/rentals?expiringWithinDays=60&pageSize=200");
        expiring.GetProperty("items").EnumerateArray().ShouldNotContain(r => r.GetProperty("userId").GetGuid() == renter.Id);

        // A policy arriving after closure does not make it ready again.
        await SendAsync(new AclGenerated(renter.Id, 2, "rotation", now.AddMinutes(1), now.AddDays(32)));
        (await admin.GetFromJsonAsync<JsonElement>($"/api/users/{renter.Id}/rental")).GetProperty("serviceState").GetString().ShouldBe("stopped");
    }

    [Fact]
    public async Task An_admin_extends_a_rental_to_a_date_and_it_is_audited()
    {
        var renter = await NewRenterAsync();
        var admin = factory.ClientWithToken((await factory.CreateClient().LoginTokensAsync(factory.AdminEmail, UsersApiFactory.AdminPassword)).AccessToken);
        var until = factory.Clock.GetUtcNow().AddDays(90);

        var past = await admin.PostAsJsonAsync($"/api/users/{renter.Id}/rental/extend", new { until = factory.Clock.GetUtcNow().AddDays(-1) });
        var extended = await admin.PostAsJsonAsync($"/api/users/{renter.Id}/rental/extend", new { until });

        (await past.ProblemCodeAsync()).ShouldBe("validation_failed");
        extended.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await extended.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(until, TimeSpan.FromSeconds(1));
        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/audit?userId={renter.Id}&action=rental_extended");
        audit.GetProperty("total").GetInt32().ShouldBe(1);
        var expiring = await admin.GetFromJsonAsync<JsonElement>("/api/users/rentals?expiringWithinDays=91&pageSize=200");
        expiring.GetProperty("items").EnumerateArray().ShouldContain(r => r.GetProperty("userId").GetGuid() == renter.Id);
        (await renter.Client.PostAsJsonAsync($"/api/users/{renter.Id}/rental/extend", new { until })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await renter.Client.GetAsync("/api/users/rentals")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}

public sealed class DeviceTests(UsersApiFactory factory) : IClassFixture<UsersApiFactory>
{
    private static string NodeKey(int n) => "nodekey:" + n.ToString("x64", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Node_keys_are_validated_normalized_unique_and_limited_to_five()
    {
        var renter = factory.ClientWithToken((await factory.CreateClient().RegisterVerifiedAsync()).AccessToken);
        var seed = Random.Shared.Next(1, 1_000_000) * 10;

        foreach (var bad in new[] { "nodekey:xyz", "mkey:" + new string('a', 64), "nodekey:" + new string('a', 63), "" })
            (await (await renter.PostAsJsonAsync("/api/users/me/devices", new { name = "x", machineCode = "M", nodeKey = bad })).ProblemCodeAsync()).ShouldBe("validation_failed");

        var upper = NodeKey(seed).ToUpperInvariant().Replace("NODEKEY:", "nodekey:", StringComparison.Ordinal);
        var first = await renter.PostAsJsonAsync("/api/users/me/devices", new { name = "phone", machineCode = "M1", nodeKey = upper });
        (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("nodeKey").GetString().ShouldBe(NodeKey(seed));
        (await (await renter.PostAsJsonAsync("/api/users/me/devices", new { name = "again", machineCode = "M1", nodeKey = NodeKey(seed) })).ProblemCodeAsync()).ShouldBe("device_exists");
        for (var i = 1; i < 5; i++)
            (await renter.PostAsJsonAsync("/api/users/me/devices", new { name = $"d{i}", machineCode = "M", nodeKey = NodeKey(seed + i) })).StatusCode.ShouldBe(HttpStatusCode.Created);

        var sixth = await renter.PostAsJsonAsync("/api/users/me/devices", new { name = "d6", machineCode = "M", nodeKey = NodeKey(seed + 6) });
        sixth.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await sixth.ProblemCodeAsync()).ShouldBe("device_limit_reached");
        (await renter.GetFromJsonAsync<JsonElement>("/api/users/me/devices")).GetArrayLength().ShouldBe(5);
    }

    [Fact]
    public async Task Registering_and_removing_a_device_publishes_events_and_another_renters_device_is_not_found()
    {
        await using var registered = await RabbitMqProbe.ForEventAsync<DeviceRegistered>();
        await using var removed = await RabbitMqProbe.ForEventAsync<DeviceRemoved>();
        var owner = factory.ClientWithToken((await factory.CreateClient().RegisterVerifiedAsync()).AccessToken);
        var stranger = factory.ClientWithToken((await factory.CreateClient().RegisterVerifiedAsync()).AccessToken);
        var key = NodeKey(Random.Shared.Next(1, 1_000_000) * 10 + 7);

        var device = await (await owner.PostAsJsonAsync("/api/users/me/devices", new { name = "nas", machineCode = "M", nodeKey = key })).Content.ReadFromJsonAsync<JsonElement>();
        var id = device.GetProperty("id").GetGuid();
        await registered.WaitForAsync(m => m.GetProperty("nodeKey").GetString() == key, TimeSpan.FromSeconds(20));

        (await stranger.DeleteAsync($"/api/users/me/devices/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.GetFromJsonAsync<JsonElement>("/api/users/me/devices")).GetArrayLength().ShouldBe(0);
        (await stranger.GetAsync("/api/users/me/rental")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await owner.DeleteAsync($"/api/users/me/devices/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await removed.WaitForAsync(m => m.GetProperty("deviceId").GetGuid() == id, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Closing_ones_own_account_needs_the_password()
    {
        var email = UsersApiClient.NewEmail();
        var renter = factory.ClientWithToken((await factory.CreateClient().RegisterVerifiedAsync(email)).AccessToken);

        using var wrong = new HttpRequestMessage(HttpMethod.Delete, "/api/users/me") { Content = JsonContent.Create(new { password = "not-it-123" }) };
        (await (await renter.SendAsync(wrong)).ProblemCodeAsync()).ShouldBe("invalid_current_password");
        using var right = new HttpRequestMessage(HttpMethod.Delete, "/api/users/me") { Content = JsonContent.Create(new { password = UsersApiClient.Password }) };
        (await renter.SendAsync(right)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await (await factory.CreateClient().LoginAsync(email)).ProblemCodeAsync()).ShouldBe("account_deregistered");
    }
}
