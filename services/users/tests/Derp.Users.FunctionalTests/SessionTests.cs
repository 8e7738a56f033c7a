using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.TestSupport;
using Derp.Users.Api.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Users.FunctionalTests;

/// <summary>
/// What ends a session ends the access tokens already handed out, within seconds, not when they expire (ADR-006):
/// the revocation travels as an event to every instance's own queue.
/// </summary>
public sealed class SessionTests(UsersApiFactory factory) : IClassFixture<UsersApiFactory>
{
    private readonly HttpClient _anonymous = factory.CreateClient();

    /// <summary>Polls <paramref name="url"/> with the token until it is refused as an ended session.</summary>
    private static async Task ShouldEndAsync(HttpClient client, string url = "/api/users/me")
    {
        var response = await Until.ValueAsync(() => client.GetAsync(url), r => r.StatusCode == HttpStatusCode.Unauthorized,
            $"{url} to refuse the ended session", TimeSpan.FromSeconds(20));
        (await response.ProblemCodeAsync()).ShouldBe("session_ended");
    }

    private async Task<(Guid Id, string Email, Tokens Tokens)> NewUserAsync()
    {
        var email = UsersApiClient.NewEmail();
        var tokens = await _anonymous.RegisterVerifiedAsync(email);
        var me = await factory.ClientWithToken(tokens.AccessToken).GetFromJsonAsync<JsonElement>("/api/users/me");
        return (me.GetProperty("id").GetGuid(), email, tokens);
    }

    [Fact]
    public async Task Logout_ends_that_sessions_access_token_and_leaves_the_other_session_alone()
    {
        var (_, email, first) = await NewUserAsync();
        var second = await _anonymous.LoginTokensAsync(email);
        var firstClient = factory.ClientWithToken(first.AccessToken);
        var secondClient = factory.ClientWithToken(second.AccessToken);

        (await firstClient.PostAsJsonAsync("/api/users/logout", new { refreshToken = first.RefreshToken })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await ShouldEndAsync(firstClient);
        (await secondClient.GetAsync("/api/users/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_password_change_ends_every_access_token_and_a_new_login_works()
    {
        var (_, email, tokens) = await NewUserAsync();
        var other = factory.ClientWithToken((await _anonymous.LoginTokensAsync(email)).AccessToken);
        var client = factory.ClientWithToken(tokens.AccessToken);

        (await client.PostAsJsonAsync("/api/users/me/password", new { currentPassword = UsersApiClient.Password, newPassword = "brand-new-pass-9" }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await ShouldEndAsync(client);
        await ShouldEndAsync(other);
        var fresh = factory.ClientWithToken((await _anonymous.LoginTokensAsync(email, "brand-new-pass-9")).AccessToken);
        (await fresh.GetAsync("/api/users/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_lowered_role_stops_the_old_admin_token_within_seconds()
    {
        var superadmin = factory.ClientWithToken((await _anonymous.LoginTokensAsync(factory.AdminEmail, UsersApiFactory.AdminPassword)).AccessToken);
        var (id, email, _) = await NewUserAsync();
        (await superadmin.PutAsJsonAsync($"/api/users/{id}/role", new { role = "admin" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var asAdmin = factory.ClientWithToken((await _anonymous.LoginTokensAsync(email)).AccessToken);
        (await asAdmin.GetAsync("/api/users")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await superadmin.PutAsJsonAsync($"/api/users/{id}/role", new { role = "renter" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        await ShouldEndAsync(asAdmin, "/api/users");
        var asRenter = factory.ClientWithToken((await _anonymous.LoginTokensAsync(email)).AccessToken);
        (await asRenter.GetAsync("/api/users")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await asRenter.GetAsync("/api/users/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_closed_account_is_unauthenticated_and_cannot_add_devices()
    {
        var (id, _, tokens) = await NewUserAsync();
        var client = factory.ClientWithToken(tokens.AccessToken);
        using var close = new HttpRequestMessage(HttpMethod.Delete, "/api/users/me") { Content = JsonContent.Create(new { password = UsersApiClient.Password }) };
        (await client.SendAsync(close)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await ShouldEndAsync(client);
        var device = await client.PostAsJsonAsync("/api/users/me/devices", new { name = "late", machineCode = "M", nodeKey = "nodekey:" + new string('c', 64) });
        device.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await device.ProblemCodeAsync()).ShouldBe("session_ended");
        await using var scope = factory.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<UsersContext>().Devices.CountAsync(d => d.UserId == id)).ShouldBe(0);
    }

    [Fact]
    public async Task A_refresh_token_that_escaped_a_password_change_is_refused()
    {
        var (id, email, tokens) = await NewUserAsync();
        var client = factory.ClientWithToken(tokens.AccessToken);
        (await client.PostAsJsonAsync("/api/users/me/password", new { currentPassword = UsersApiClient.Password, newPassword = "brand-new-pass-9" }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);

        // What a refresh racing the change leaves behind: a token of the old session version that the revocation missed.
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UsersContext>().RefreshTokens.Where(t => t.UserId == id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, (DateTimeOffset?)null));
        }

        var refresh = await _anonymous.PostAsJsonAsync("/api/users/refresh", new { refreshToken = tokens.RefreshToken });
        refresh.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await refresh.ProblemCodeAsync()).ShouldBe("invalid_refresh_token");
        await _anonymous.LoginTokensAsync(email, "brand-new-pass-9");
    }

    [Fact]
    public async Task A_restarted_instance_learns_the_recent_revocations_at_start()
    {
        var (_, email, tokens) = await NewUserAsync();
        var client = factory.ClientWithToken(tokens.AccessToken);
        (await client.PostAsJsonAsync("/api/users/me/password", new { currentPassword = UsersApiClient.Password, newPassword = "brand-new-pass-9" }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await ShouldEndAsync(client);

        // A second instance on the same database, started after the revocation was announced: it never heard the event.
        using var restarted = factory.WithWebHostBuilder(b => b.UseSetting("Messaging:EndpointPrefix", $"test-{Guid.NewGuid():N}"[..17]));
        var restartedClient = restarted.CreateClient();
        restartedClient.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        await ShouldEndAsync(restartedClient);
        var fresh = await restarted.CreateClient().LoginAsync(email, "brand-new-pass-9");
        fresh.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
