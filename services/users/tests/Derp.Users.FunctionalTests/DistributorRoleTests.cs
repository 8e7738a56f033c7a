using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Distribution;
using Derp.Contracts.Users;
using Derp.TestSupport;
using Derp.Users.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Users.FunctionalTests;

/// <summary>distribution's decisions change the role through the same path as a superadmin's change: sessions end, audit, UserRoleChanged; once.</summary>
public sealed class DistributorRoleTests(UsersApiFactory factory) : IClassFixture<UsersApiFactory>
{
    private readonly HttpClient _anonymous = factory.CreateClient();

    private async Task SendHandledAsync<T>(T message, Guid? messageId = null) where T : class
    {
        var id = messageId ?? Guid.NewGuid();
        using var watcher = ConsumeWatcher.Attach(factory.Services);
        await RabbitMqProbe.SendToConsumerAsync(factory.EndpointPrefix, message, id);
        await watcher.ConsumedAsync(id);
    }

    private async Task<(Guid Id, string Email, HttpClient Client)> NewRenterAsync()
    {
        var email = UsersApiClient.NewEmail();
        var client = factory.ClientWithToken((await _anonymous.RegisterVerifiedAsync(email)).AccessToken);
        return ((await client.GetFromJsonAsync<JsonElement>("/api/users/me")).GetProperty("id").GetGuid(), email, client);
    }

    private async Task<string> RoleAfterLoginAsync(string email) =>
        (await factory.ClientWithToken((await _anonymous.LoginTokensAsync(email)).AccessToken).GetFromJsonAsync<JsonElement>("/api/users/me"))
        .GetProperty("role").GetString()!;

    private async Task<List<string?>> RoleChangesAsync(Guid userId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UsersContext>().AuditEntries
            .Where(a => a.UserId == userId && a.Action == AuditActions.RoleChanged).OrderBy(a => a.Id).Select(a => a.Detail).ToListAsync();
    }

    [Fact]
    public async Task Approval_makes_a_renter_a_distributor_once_and_suspension_makes_them_a_renter_again()
    {
        await using var roleChanged = await RabbitMqProbe.ForEventAsync<UserRoleChanged>();
        var (userId, email, client) = await NewRenterAsync();
        var adminId = Guid.NewGuid();
        var approved = new DistributorApproved(userId, TierCodes.Gold, adminId, DateTimeOffset.UtcNow);
        var messageId = Guid.NewGuid();

        await SendHandledAsync(approved, messageId);
        await SendHandledAsync(approved, messageId);
        await SendHandledAsync(approved);

        (await RoleAfterLoginAsync(email)).ShouldBe("distributor");
        // The revocation reaches the token check through the bus (ADR-006): within moments, not at once.
        var old = await Until.ValueAsync(() => client.GetAsync("/api/users/me"), r => r.StatusCode == HttpStatusCode.Unauthorized,
            "the old token refused");
        (await old.ProblemCodeAsync()).ShouldBe("session_ended");
        (await RoleChangesAsync(userId)).ShouldBe(["renter -> distributor"]);
        var changed = await roleChanged.WaitForAsync(m => m.GetProperty("userId").GetGuid() == userId, TimeSpan.FromSeconds(20));
        changed.GetProperty("role").GetString().ShouldBe("distributor");
        changed.GetProperty("changedBy").GetGuid().ShouldBe(adminId);

        var suspended = new DistributorSuspended(userId, "Reselling abroad", adminId, DateTimeOffset.UtcNow);
        await SendHandledAsync(suspended);
        await SendHandledAsync(suspended);
        (await RoleAfterLoginAsync(email)).ShouldBe("renter");
        (await RoleChangesAsync(userId)).ShouldBe(["renter -> distributor", "distributor -> renter"]);
    }

    [Fact]
    public async Task A_suspension_that_arrives_after_the_later_reinstatement_changes_nothing()
    {
        var (userId, email, _) = await NewRenterAsync();
        var adminId = Guid.NewGuid();
        var approvedAt = DateTimeOffset.UtcNow.AddMinutes(-10);

        await SendHandledAsync(new DistributorApproved(userId, TierCodes.Gold, adminId, approvedAt));
        // Suspended at +1 min and reinstated at +2 min; the reinstatement arrives first.
        await SendHandledAsync(new DistributorApproved(userId, TierCodes.Gold, adminId, approvedAt.AddMinutes(2)));
        await SendHandledAsync(new DistributorSuspended(userId, "Reselling abroad", adminId, approvedAt.AddMinutes(1)));

        (await RoleAfterLoginAsync(email)).ShouldBe("distributor", "the newest decision (reinstated) stands");
        (await RoleChangesAsync(userId)).ShouldBe(["renter -> distributor"]);
    }

    [Fact]
    public async Task Distribution_never_changes_an_admins_role_and_an_unknown_account_changes_nothing()
    {
        var superAdmin = factory.ClientWithToken((await _anonymous.LoginTokensAsync(factory.AdminEmail, UsersApiFactory.AdminPassword)).AccessToken);
        var (userId, email, _) = await NewRenterAsync();
        (await superAdmin.PutAsJsonAsync($"/api/users/{userId}/role", new { role = "admin" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        await SendHandledAsync(new DistributorApproved(userId, TierCodes.Gold, Guid.NewGuid(), DateTimeOffset.UtcNow));
        await SendHandledAsync(new DistributorSuspended(userId, "x", Guid.NewGuid(), DateTimeOffset.UtcNow));
        await SendHandledAsync(new DistributorApproved(Guid.NewGuid(), TierCodes.Gold, Guid.NewGuid(), DateTimeOffset.UtcNow));

        (await RoleAfterLoginAsync(email)).ShouldBe("admin");
        (await RoleChangesAsync(userId)).ShouldBe(["renter -> admin"]);
    }
}
