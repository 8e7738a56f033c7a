using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.ServiceDefaults.Auth;
using Derp.TestSupport;

namespace Derp.Users.FunctionalTests;

/// <summary>The account page's needs: forgot password by a mailed code, the language, signing out everywhere.</summary>
public sealed class AccountTests(UsersApiFactory factory) : IClassFixture<UsersApiFactory>
{
    private readonly HttpClient _anonymous = factory.CreateClient();

    private async Task<(Guid Id, string Email, Tokens Tokens)> NewUserAsync()
    {
        var email = UsersApiClient.NewEmail();
        var tokens = await _anonymous.RegisterVerifiedAsync(email);
        var me = await factory.ClientWithToken(tokens.AccessToken).GetFromJsonAsync<JsonElement>("/api/users/me");
        return (me.GetProperty("id").GetGuid(), email, tokens);
    }

    private static async Task ShouldEndAsync(HttpClient client)
    {
        var response = await Until.ValueAsync(() => client.GetAsync("/api/users/me"), r => r.StatusCode == HttpStatusCode.Unauthorized,
            "the ended session refused", TimeSpan.FromSeconds(20));
        (await response.ProblemCodeAsync()).ShouldBe("session_ended");
    }

    private Task<HttpResponseMessage> ForgotAsync(string email) => _anonymous.PostAsJsonAsync("/api/users/password/forgot", new { email });

    private Task<HttpResponseMessage> ResetAsync(string email, string code, string newPassword = "new-horse-staple-7") =>
        _anonymous.PostAsJsonAsync("/api/users/password/reset", new { email, code, newPassword });

    private async Task<IReadOnlyList<string>> AuditActionsAsync(Guid userId)
    {
        var audit = await factory.ClientAs(Guid.NewGuid(), Roles.Admin).GetFromJsonAsync<JsonElement>($"/api/audit?userId={userId}&pageSize=100");
        return audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()!).ToList();
    }

    [Fact]
    public async Task A_forgotten_password_is_reset_with_the_mailed_code_once_which_ends_every_session_and_is_audited()
    {
        var (id, email, tokens) = await NewUserAsync();
        var session = factory.ClientWithToken(tokens.AccessToken);

        // Known and unknown addresses get the same answer.
        var unknown = await ForgotAsync(UsersApiClient.NewEmail());
        var known = await ForgotAsync(email.ToUpperInvariant());
        unknown.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        known.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await unknown.Content.ReadAsStringAsync()).ShouldBe(await known.Content.ReadAsStringAsync());

        var mail = await MailSink.WaitForMailAsync(email, m => m.Subject.Contains("重置", StringComparison.Ordinal));
        var code = mail.VerificationCode();
        code.Length.ShouldBe(6);
        mail.Subject.ShouldNotContain(code);

        var wrong = await ResetAsync(email, code == "000000" ? "111111" : "000000");
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await wrong.ProblemCodeAsync()).ShouldBe("invalid_reset_code");
        (await (await ResetAsync(UsersApiClient.NewEmail(), code)).ProblemCodeAsync()).ShouldBe("invalid_reset_code");
        (await (await ResetAsync(email, code, "short")).ProblemCodeAsync()).ShouldBe("validation_failed");

        (await ResetAsync(email, code)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await ShouldEndAsync(session);
        (await _anonymous.PostAsJsonAsync("/api/users/refresh", new { refreshToken = tokens.RefreshToken })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _anonymous.LoginAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the old password no longer works");
        await _anonymous.LoginTokensAsync(email, "new-horse-staple-7");

        // Single use.
        var again = await ResetAsync(email, code, "another-horse-8");
        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await again.ProblemCodeAsync()).ShouldBe("reset_code_expired");
        (await AuditActionsAsync(id)).ShouldContain("password_reset");
    }

    [Fact]
    public async Task Five_wrong_codes_burn_the_code()
    {
        var (_, email, _) = await NewUserAsync();
        (await ForgotAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var code = (await MailSink.WaitForMailAsync(email, m => m.Subject.Contains("重置", StringComparison.Ordinal))).VerificationCode();
        var wrongCode = code == "000000" ? "111111" : "000000";
        for (var i = 0; i < 5; i++)
            (await (await ResetAsync(email, wrongCode)).ProblemCodeAsync()).ShouldBe("invalid_reset_code");
        var burnt = await ResetAsync(email, code);
        burnt.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await burnt.ProblemCodeAsync()).ShouldBe("reset_code_expired");
        await _anonymous.LoginTokensAsync(email);
    }

    [Fact]
    public async Task Reset_mails_are_limited_per_address_known_or_not_with_a_retry_after()
    {
        foreach (var email in new[] { (await NewUserAsync()).Email, UsersApiClient.NewEmail() })
        {
            for (var i = 0; i < 5; i++)
                (await ForgotAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
            var limited = await ForgotAsync(email);
            limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
            (await limited.ProblemCodeAsync()).ShouldBe("password_reset_mail_limit");
            limited.Headers.RetryAfter.ShouldNotBeNull();
        }
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_every_session_and_is_audited()
    {
        var (id, email, first) = await NewUserAsync();
        var second = await _anonymous.LoginTokensAsync(email);
        (await factory.ClientWithToken(first.AccessToken).PostAsync("/api/users/me/sessions/revoke-all", null)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await ShouldEndAsync(factory.ClientWithToken(first.AccessToken));
        await ShouldEndAsync(factory.ClientWithToken(second.AccessToken));
        (await _anonymous.PostAsJsonAsync("/api/users/refresh", new { refreshToken = second.RefreshToken })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await AuditActionsAsync(id)).ShouldContain("sessions_revoked");
        await _anonymous.LoginTokensAsync(email);
        (await _anonymous.PostAsync("/api/users/me/sessions/revoke-all", null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_language_is_stored_on_the_account()
    {
        var (_, _, tokens) = await NewUserAsync();
        var client = factory.ClientWithToken(tokens.AccessToken);
        var changed = await client.PutAsJsonAsync("/api/users/me/language", new { language = "en" });
        changed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetFromJsonAsync<JsonElement>("/api/users/me")).GetProperty("language").GetString().ShouldBe("en");
        var bad = await client.PutAsJsonAsync("/api/users/me/language", new { language = "fr" });
        (await bad.ProblemCodeAsync()).ShouldBe("validation_failed");
    }
}
