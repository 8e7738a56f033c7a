using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Derp.TestSupport;

namespace Derp.Users.FunctionalTests;

public sealed class RegistrationTests(UsersApiFactory factory) : IClassFixture<UsersApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Register_verify_and_login_yields_tokens_for_the_new_renter()
    {
        var email = UsersApiClient.NewEmail();
        var register = await _client.RegisterAsync(email);
        register.StatusCode.ShouldBe(HttpStatusCode.Created);

        var mail = await MailSink.WaitForMailAsync(email);
        mail.Subject.ShouldNotContain(mail.VerificationCode()); // subjects are shown in the mail log
        mail.VerificationCode().Length.ShouldBe(6);

        var verify = await _client.PostAsJsonAsync("/api/users/verify-email", new { email = email.ToUpperInvariant(), code = mail.VerificationCode() });
        verify.StatusCode.ShouldBe(HttpStatusCode.OK);

        var tokens = await _client.LoginTokensAsync(email);
        var me = await factory.ClientWithToken(tokens.AccessToken).GetFromJsonAsync<JsonElement>("/api/users/me");
        me.GetProperty("email").GetString().ShouldBe(email);
        me.GetProperty("role").GetString().ShouldBe("renter");
        me.GetProperty("emailVerified").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Invalid_fields_are_named_in_a_validation_problem()
    {
        var response = await _client.PostAsJsonAsync("/api/users/register", new { email = "not-an-email", username = "x", password = "short" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBe("validation_failed");
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        errors.TryGetProperty("email", out _).ShouldBeTrue();
        errors.TryGetProperty("username", out _).ShouldBeTrue();
        errors.TryGetProperty("password", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Null_and_missing_fields_are_validation_problems_not_server_errors()
    {
        var response = await _client.PostAsync("/api/users/register", new StringContent("""{"email":null}""", Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBeOneOf("validation_failed", "malformed_json");
    }

    [Fact]
    public async Task An_address_in_use_gets_the_same_answer_and_its_owner_is_mailed_instead()
    {
        var email = UsersApiClient.NewEmail();
        var username = UsersApiClient.NewUsername();
        var first = await _client.RegisterAsync(email, username);
        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        await MailSink.WaitForMailAsync(email);

        // Unverified owner: the same 201 with the same body shape, and the owner gets a new code that works.
        var again = await _client.RegisterAsync(email.ToUpperInvariant());
        again.StatusCode.ShouldBe(HttpStatusCode.Created);
        again.Headers.Location.ShouldBe(first.Headers.Location);
        var firstBody = await first.Content.ReadFromJsonAsync<JsonElement>();
        var againBody = await again.Content.ReadFromJsonAsync<JsonElement>();
        againBody.EnumerateObject().Select(p => (p.Name, p.Value.ValueKind)).ShouldBe(firstBody.EnumerateObject().Select(p => (p.Name, p.Value.ValueKind)));
        againBody.GetProperty("id").GetGuid().ShouldNotBe(firstBody.GetProperty("id").GetGuid());
        var code = (await MailSink.WaitForMailAsync(email, skip: 1)).VerificationCode();
        (await _client.PostAsJsonAsync("/api/users/verify-email", new { email, code })).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Verified owner: told that someone tried; the password of the account is untouched.
        (await _client.RegisterAsync(email, password: "someone-elses-pw-1")).StatusCode.ShouldBe(HttpStatusCode.Created);
        var notice = await MailSink.WaitForMailAsync(email, m => m.Subject.Contains("尝试", StringComparison.Ordinal));
        notice.VerificationCode().ShouldBeEmpty();
        await _client.LoginTokensAsync(email);

        var sameName = await _client.RegisterAsync(UsersApiClient.NewEmail(), username.ToUpperInvariant());
        sameName.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await sameName.ProblemCodeAsync()).ShouldBe("username_taken");
    }

    [Theory]
    [InlineData("{\"email\":")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"email\": 42, \"username\": {}, \"password\": []}")]
    public async Task Malformed_json_is_a_400_problem(string body)
    {
        var response = await _client.PostAsync("/api/users/register", new StringContent(body, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBe("malformed_json");
    }

    [Fact]
    public async Task Oversized_body_is_a_413_problem()
    {
        var huge = "{\"email\":\"" + new string('a', 2 * 1024 * 1024) + "\"}";
        var response = await _client.PostAsync("/api/users/register", new StringContent(huge, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await response.ProblemCodeAsync()).ShouldBe("payload_too_large");
    }

    [Fact]
    public async Task Wrong_content_type_is_a_415_problem()
    {
        var response = await _client.PostAsync("/api/users/register", new StringContent("email=a", Encoding.UTF8, "text/plain"));

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await response.ProblemCodeAsync()).ShouldBe("unsupported_media_type");
    }

    [Fact]
    public async Task The_sixth_verification_mail_within_ten_minutes_is_refused_with_retry_after()
    {
        var email = UsersApiClient.NewEmail();
        (await _client.RegisterAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Created); // mail 1
        for (var i = 2; i <= 5; i++)
            (await _client.PostAsJsonAsync("/api/users/resend-verification", new { email })).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var sixth = await _client.PostAsJsonAsync("/api/users/resend-verification", new { email });

        sixth.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await sixth.ProblemCodeAsync()).ShouldBe("verification_mail_limit");
        sixth.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeInRange(1, 600);
        await MailSink.WaitForMailAsync(email, skip: 4);
        MailSink.MailsTo(email).Count.ShouldBe(5);
    }

    [Fact]
    public async Task Only_the_latest_code_verifies_and_wrong_codes_burn_it()
    {
        var email = UsersApiClient.NewEmail();
        await _client.RegisterAsync(email);
        var first = await MailSink.WaitForMailAsync(email);
        await _client.PostAsJsonAsync("/api/users/resend-verification", new { email });
        var second = await MailSink.WaitForMailAsync(email, skip: 1);

        var stale = await _client.PostAsJsonAsync("/api/users/verify-email", new { email, code = first.VerificationCode() });
        if (first.VerificationCode() != second.VerificationCode())
            (await stale.ProblemCodeAsync()).ShouldBe("invalid_verification_code");

        var wrong = second.VerificationCode() == "000000" ? "111111" : "000000";
        for (var i = 0; i < 5; i++)
            await _client.PostAsJsonAsync("/api/users/verify-email", new { email, code = wrong });

        var afterBurn = await _client.PostAsJsonAsync("/api/users/verify-email", new { email, code = second.VerificationCode() });
        afterBurn.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await afterBurn.ProblemCodeAsync()).ShouldBe("verification_code_expired");
    }

    [Fact]
    public async Task Verifying_twice_is_a_conflict()
    {
        var email = UsersApiClient.NewEmail();
        await _client.RegisterVerifiedAsync(email);
        var code = (await MailSink.WaitForMailAsync(email)).VerificationCode();

        var again = await _client.PostAsJsonAsync("/api/users/verify-email", new { email, code });

        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await again.ProblemCodeAsync()).ShouldBe("email_already_verified");
    }
}
