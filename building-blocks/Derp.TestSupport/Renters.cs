using System.Net.Http.Json;
using System.Text.Json;

namespace Derp.TestSupport;

/// <summary>A renter account made the way a person makes one, through the users service's API and the real SMTP sink.</summary>
public static class Renters
{
    public const string Password = "correct-horse-42";

    /// <summary>Registers, reads the code from the mail, verifies and signs in: returns the email, the access token and the user id.</summary>
    public static async Task<(string Email, string AccessToken, Guid Id)> SignUpAsync(HttpClient users)
    {
        var email = $"r{Guid.NewGuid():N}@derp.test";
        (await users.PostAsJsonAsync("/api/users/register", new { email, username = "r" + Guid.NewGuid().ToString("N")[..10], password = Password }))
            .EnsureSuccessStatusCode();
        var code = (await MailSink.WaitForMailAsync(email)).VerificationCode();
        (await users.PostAsJsonAsync("/api/users/verify-email", new { email, code })).EnsureSuccessStatusCode();
        var login = await users.PostAsJsonAsync("/api/users/login", new { email, password = Password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/users/me") { Headers = { Authorization = new("Bearer", token) } };
        var id = (await (await users.SendAsync(me)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return (email, token, id);
    }
}
