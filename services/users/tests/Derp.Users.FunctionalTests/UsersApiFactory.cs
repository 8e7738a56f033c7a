using System.Net;
using System.Net.Http.Json;
using Derp.TestSupport;
using Derp.Users.Api.Services;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Users.FunctionalTests;

public class UsersApiFactory : ServiceFactory<Program>
{
    public UsersApiFactory() : base("users") { }

    /// <summary>
    /// Finance does not run beside these tests: where settlement is not the subject, every account is settled.
    /// <see cref="FinanceSettlementFactory"/> keeps the real HTTP client against a finance stand-in instead.
    /// </summary>
    protected virtual bool EveryAccountSettled => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (EveryAccountSettled)
            builder.ConfigureTestServices(services => services.AddSingleton<IAccountSettlement, SettledAccounts>());
    }

    private sealed class SettledAccounts : IAccountSettlement
    {
        public Task<SettlementCheck> CheckAsync(Guid userId, CancellationToken cancellationToken) => Task.FromResult(new SettlementCheck(true, "settled"));
    }

    public string AdminEmail { get; } = $"root-{Guid.NewGuid():N}@derp.test";
    public const string AdminPassword = "Sup3r-admin-pass";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Admin:Email", AdminEmail),
        new("Admin:Password", AdminPassword),
        new("Admin:Username", "root-" + Guid.NewGuid().ToString("N")[..8]),
        // Every test request comes from the same in-process address; the per-IP limit has its own test.
        new("Users:LoginAttemptsPerIpPerWindow", "10000"),
        new("Users:PasswordResetMailsPerIpPerWindow", "10000"),
    ];
}

public sealed record Tokens(string AccessToken, string RefreshToken, int ExpiresIn, string TokenType);

public static class UsersApiClient
{
    public const string Password = "correct-horse-42";

    public static string NewEmail() => $"u{Guid.NewGuid():N}@derp.test";

    public static string NewUsername() => "u" + Guid.NewGuid().ToString("N")[..12];

    public static Task<HttpResponseMessage> RegisterAsync(this HttpClient client, string email, string? username = null, string password = Password) =>
        client.PostAsJsonAsync("/api/users/register", new { email, username = username ?? NewUsername(), password });

    public static Task<HttpResponseMessage> LoginAsync(this HttpClient client, string email, string password = Password) =>
        client.PostAsJsonAsync("/api/users/login", new { email, password });

    /// <summary>Registers, reads the code from the real SMTP sink, verifies and logs in.</summary>
    public static async Task<Tokens> RegisterVerifiedAsync(this HttpClient client, string? email = null)
    {
        email ??= NewEmail();
        (await client.RegisterAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var mail = await MailSink.WaitForMailAsync(email);
        (await client.PostAsJsonAsync("/api/users/verify-email", new { email, code = mail.VerificationCode() })).StatusCode.ShouldBe(HttpStatusCode.OK);
        return await client.LoginTokensAsync(email);
    }

    public static async Task<Tokens> LoginTokensAsync(this HttpClient client, string email, string password = Password)
    {
        var response = await client.LoginAsync(email, password);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<Tokens>())!;
    }
}
