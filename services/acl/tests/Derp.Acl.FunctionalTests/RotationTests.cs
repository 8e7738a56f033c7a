extern alias users;

using System.Net.Http.Json;
using System.Text.Json;
using Derp.Acl.Api.Jobs;
using Derp.Contracts.Acl;
using Derp.Contracts.Serials;
using Derp.Contracts.Servers;
using Derp.ServiceDefaults.Auth;
using Derp.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Acl.FunctionalTests;

/// <summary>The real users service, so the whole chain is exercised: redemption -> rental -> policy -> email.</summary>
public sealed class UsersServiceFactory : ServiceFactory<users::Program>
{
    public UsersServiceFactory() : base("users") { }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Admin:Email", $"root-{Guid.NewGuid():N}@derp.test"),
        new("Admin:Password", "Sup3r-admin-pass"),
        new("Users:LoginAttemptsPerIpPerWindow", "10000"),
    ];
}

/// <summary>Requirements §5.2: a policy lasts 32 days and is then made again, and the renter is told.</summary>
public sealed class RotationTests(AclApiFactory acl, UsersServiceFactory usersService) : IClassFixture<AclApiFactory>, IClassFixture<UsersServiceFactory>
{
    [Fact]
    public async Task After_32_days_the_rotation_makes_version_2_and_the_renter_gets_an_email()
    {
        await using var generated = await RabbitMqProbe.ForEventAsync<AclGenerated>();
        // A verified renter in the users service, with a 90-day rental from a redeemed serial.
        var (email, _, userId) = await Renters.SignUpAsync(usersService.CreateClient());
        await RabbitMqProbe.SendToConsumerAsync(usersService.EndpointPrefix,
            new SerialRedeemed(Guid.NewGuid(), "VIP-ROTATE", userId, "rental", "membership", null, 90, null, 100, null, null, DateTimeOffset.UtcNow));

        // RentalActivated travels from users to acl over the broker; the servers service's event is played here.
        var renter = acl.ClientAs(userId, Roles.Renter);
        var rentalId = Guid.NewGuid();
        await Until.TrueAsync(async () => (await renter.GetAsync("/api/acl/me")).StatusCode == System.Net.HttpStatusCode.NotFound, "the rental in acl");
        await acl.SendAsync(new ContainersProvisioned(userId, rentalId, AclApiFactory.Relays("rot"), DateTimeOffset.UtcNow));
        await AclApiFactory.WaitForPolicyAsync(renter, p => p.GetProperty("version").GetInt32() == 1);
        await MailSink.WaitForMailAsync(email, m => m.Subject.Contains("版本 1", StringComparison.Ordinal));

        // Not due yet: nothing happens.
        await RotateAsync();
        (await renter.GetFromJsonAsync<JsonElement>("/api/acl/me")).GetProperty("version").GetInt32().ShouldBe(1);

        acl.Clock.Advance(TimeSpan.FromDays(32) + TimeSpan.FromMinutes(1));
        await RotateAsync();
        await RotateAsync(); // a second run finds nothing more to do

        var rotated = await renter.GetFromJsonAsync<JsonElement>("/api/acl/me");
        rotated.GetProperty("version").GetInt32().ShouldBe(2);
        rotated.GetProperty("trigger").GetString().ShouldBe("rotation");
        rotated.GetProperty("validUntil").GetDateTimeOffset().ShouldBe(acl.Clock.GetUtcNow().AddDays(32), TimeSpan.FromMilliseconds(1));
        (await renter.GetFromJsonAsync<JsonElement>("/api/acl/me/versions")).GetArrayLength().ShouldBe(2);
        await generated.WaitForAsync(m => m.GetProperty("userId").GetGuid() == userId && m.GetProperty("version").GetInt32() == 2
            && m.GetProperty("trigger").GetString() == "rotation", TimeSpan.FromSeconds(20));

        // The users service turns AclGenerated into the renter's email about the new version.
        await MailSink.WaitForMailAsync(email, m => m.Subject.Contains("版本 2", StringComparison.Ordinal));
        MailSink.MailsTo(email).Count(m => m.Subject.Contains("策略文件", StringComparison.Ordinal)).ShouldBe(2, "one mail per version");
    }

    private async Task RotateAsync()
    {
        await using var scope = acl.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PolicyRotation>().RotateDueAsync(CancellationToken.None);
    }
}
