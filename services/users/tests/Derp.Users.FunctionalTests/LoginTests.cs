using System.Net;
using System.Net.Http.Json;
using Derp.TestSupport;

namespace Derp.Users.FunctionalTests;

public sealed class LoginTests(UsersApiFactory factory) : IClassFixture<UsersApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Unverified_account_with_the_right_password_gets_email_not_verified()
    {
        var email = UsersApiClient.NewEmail();
        await _client.RegisterAsync(email);

        var response = await _client.LoginAsync(email);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.ProblemCodeAsync()).ShouldBe("email_not_verified");
    }

    [Fact]
    public async Task Wrong_password_and_unknown_email_look_the_same()
    {
        var email = UsersApiClient.NewEmail();
        await _client.RegisterVerifiedAsync(email);

        var wrongPassword = await _client.LoginAsync(email, "wrong-password-1");
        var unknown = await _client.LoginAsync(UsersApiClient.NewEmail());

        wrongPassword.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        unknown.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await wrongPassword.ProblemCodeAsync()).ShouldBe("invalid_credentials");
        (await unknown.ProblemCodeAsync()).ShouldBe("invalid_credentials");
    }

    [Fact]
    public async Task Five_failures_lock_the_account_even_against_the_right_password()
    {
        var email = UsersApiClient.NewEmail();
        await _client.RegisterVerifiedAsync(email);

        for (var i = 0; i < 4; i++)
            (await _client.LoginAsync(email, "wrong-password-1")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var fifth = await _client.LoginAsync(email, "wrong-password-1");
        var right = await _client.LoginAsync(email);

        fifth.StatusCode.ShouldBe((HttpStatusCode)423);
        (await fifth.ProblemCodeAsync()).ShouldBe("account_locked");
        right.StatusCode.ShouldBe((HttpStatusCode)423);
        right.Headers.RetryAfter!.Delta!.Value.TotalMinutes.ShouldBeInRange(1, 15);
    }

    [Fact]
    public async Task Refresh_rotates_and_a_reused_token_revokes_the_whole_family()
    {
        var tokens = await _client.RegisterVerifiedAsync();

        var first = await _client.PostAsJsonAsync("/api/users/refresh", new { refreshToken = tokens.RefreshToken });
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        var rotated = (await first.Content.ReadFromJsonAsync<Tokens>())!;
        rotated.RefreshToken.ShouldNotBe(tokens.RefreshToken);

        var reuse = await _client.PostAsJsonAsync("/api/users/refresh", new { refreshToken = tokens.RefreshToken });
        reuse.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await reuse.ProblemCodeAsync()).ShouldBe("refresh_token_reused");

        // The thief's reuse also ends the legitimate session that held the rotated token.
        var afterRevocation = await _client.PostAsJsonAsync("/api/users/refresh", new { refreshToken = rotated.RefreshToken });
        afterRevocation.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Concurrent_refreshes_with_one_token_succeed_at_most_once()
    {
        var tokens = await _client.RegisterVerifiedAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            factory.CreateClient().PostAsJsonAsync("/api/users/refresh", new { refreshToken = tokens.RefreshToken })));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBeLessThanOrEqualTo(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized).ShouldBeGreaterThanOrEqualTo(7);
    }

    [Fact]
    public async Task Garbage_refresh_token_is_refused()
    {
        var response = await _client.PostAsJsonAsync("/api/users/refresh", new { refreshToken = "not-a-token" });

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.ProblemCodeAsync()).ShouldBe("invalid_refresh_token");
    }

    [Fact]
    public async Task Logout_ends_the_refresh_token()
    {
        var tokens = await _client.RegisterVerifiedAsync();
        var client = factory.ClientWithToken(tokens.AccessToken);

        (await client.PostAsJsonAsync("/api/users/logout", new { refreshToken = tokens.RefreshToken })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var refresh = await _client.PostAsJsonAsync("/api/users/refresh", new { refreshToken = tokens.RefreshToken });
        refresh.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Changing_the_password_needs_the_current_one_and_ends_other_sessions()
    {
        var email = UsersApiClient.NewEmail();
        var tokens = await _client.RegisterVerifiedAsync(email);
        var client = factory.ClientWithToken(tokens.AccessToken);

        var wrong = await client.PostAsJsonAsync("/api/users/me/password", new { currentPassword = "nope-nope-1", newPassword = "brand-new-pass-9" });
        (await wrong.ProblemCodeAsync()).ShouldBe("invalid_current_password");

        (await client.PostAsJsonAsync("/api/users/me/password", new { currentPassword = UsersApiClient.Password, newPassword = "brand-new-pass-9" }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await _client.PostAsJsonAsync("/api/users/refresh", new { refreshToken = tokens.RefreshToken })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _client.LoginAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await _client.LoginTokensAsync(email, "brand-new-pass-9");
    }

    [Fact]
    public async Task Calls_without_a_valid_token_get_401_problems()
    {
        (await (await _client.GetAsync("/api/users/me")).ProblemCodeAsync()).ShouldBe("unauthorized");

        var forged = factory.ClientWithToken("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");
        var response = await forged.GetAsync("/api/users/me");
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}

public sealed class LoginRateLimitFactory : UsersApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        base.Settings().Where(s => s.Key != "Users:LoginAttemptsPerIpPerWindow").Append(new("Users:LoginAttemptsPerIpPerWindow", "3"));
}

public sealed class LoginRateLimitTests(LoginRateLimitFactory factory) : IClassFixture<LoginRateLimitFactory>
{
    [Fact]
    public async Task Login_attempts_per_address_are_limited()
    {
        var client = factory.CreateClient();
        for (var i = 0; i < 3; i++)
            (await client.LoginAsync(UsersApiClient.NewEmail())).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var fourth = await client.LoginAsync(UsersApiClient.NewEmail());

        fourth.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await fourth.ProblemCodeAsync()).ShouldBe("login_rate_limited");
        fourth.Headers.RetryAfter.ShouldNotBeNull();
    }
}
