using System.Net.Http.Json;
using System.Text.Json;
using Derp.Acl.Api.Services;
using Derp.ServiceDefaults.Security;
using Derp.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Derp.Acl.FunctionalTests;

/// <summary>
/// Admission from memory (ADR-028): a committed change of a device or of a renter's deciding columns, whoever writes it
/// (here raw SQL), turns "allow" into "deny" within a bounded delay, and it stays "deny".
/// </summary>
public sealed class AdmissionViewTests(AclApiFactory factory) : IClassFixture<AclApiFactory>
{
    private async Task<bool> AdmitAsync(Guid owner, string nodeKey)
    {
        var token = AdmissionTokens.Create(AclApiFactory.AdmissionSecret, owner, Guid.NewGuid());
        var response = await factory.CreateClient().PostAsJsonAsync($"/api/acl/derp/admit?token={Uri.EscapeDataString(token)}",
            new Dictionary<string, string> { ["NodePublic"] = nodeKey, ["Source"] = "203.0.113.77" });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("Allow").GetBoolean();
    }

    private async Task SqlAsync(string sql, Guid userId)
    {
        await using var connection = new NpgsqlConnection(factory.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", userId);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<AclApiFactory.Renter> HeldRenterAsync()
    {
        var renter = await factory.NewRenterAsync();
        var view = factory.Services.GetRequiredService<AdmissionView>();
        await Until.TrueAsync(async () => view.Held.IsLive && await AdmitAsync(renter.Id, renter.NodeKey) && view.Held.Contains(renter.NodeKey), "admitted from memory");
        return renter;
    }

    private async Task DeniedFromNowOnAsync(AclApiFactory.Renter renter)
    {
        await Until.TrueAsync(async () => !await AdmitAsync(renter.Id, renter.NodeKey), "denied", TimeSpan.FromSeconds(30));
        for (var i = 0; i < 5; i++)
            (await AdmitAsync(renter.Id, renter.NodeKey)).ShouldBeFalse();
    }

    [Theory]
    [InlineData("DELETE FROM renter_devices WHERE user_id = @id")]
    [InlineData("UPDATE renters SET rental_active = false WHERE user_id = @id")]
    [InlineData("UPDATE renters SET expires_at = now() - interval '1 minute' WHERE user_id = @id")]
    [InlineData("UPDATE renters SET over_quota = true WHERE user_id = @id")]
    [InlineData("UPDATE renters SET deregistered = true WHERE user_id = @id")]
    public async Task A_committed_change_that_decides_admission_denies_from_then_on(string change)
    {
        var renter = await HeldRenterAsync();

        await SqlAsync(change, renter.Id);

        await DeniedFromNowOnAsync(renter);
    }

    [Fact]
    public async Task A_reconnect_of_the_listener_drops_what_was_held()
    {
        var renter = await HeldRenterAsync();
        var feed = factory.Services.GetRequiredService<Derp.ServiceDefaults.Persistence.ChangeFeed>();
        var connections = feed.Connections;
        await SqlAsync("""
            ALTER TABLE renter_devices DISABLE TRIGGER USER;
            DELETE FROM renter_devices WHERE user_id = @id;
            ALTER TABLE renter_devices ENABLE TRIGGER USER;
            """, renter.Id);
        (await AdmitAsync(renter.Id, renter.NodeKey)).ShouldBeTrue("held in memory, not re-read");

        await SqlAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = (SELECT current_database()) AND application_name = '{Derp.ServiceDefaults.Persistence.ChangeFeed.ApplicationName}' AND @id IS NOT NULL", renter.Id);

        await Until.TrueAsync(() => Task.FromResult(feed.Connections > connections && feed.IsLive), "the listener reconnected");
        (await AdmitAsync(renter.Id, renter.NodeKey)).ShouldBeFalse();
    }
}
