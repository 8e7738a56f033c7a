using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Derp.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Derp.Users.FunctionalTests;

/// <summary>Every log line the service writes, as text, with its structured values and exception.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Lines);

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {values} {exception}");
        }
    }
}

/// <summary>A users instance logging everything down to Debug into <see cref="Logs"/>.</summary>
public sealed class LogCaptureFactory : UsersApiFactory
{
    public CapturedLogs Logs { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        base.Settings().Append(new("Logging:LogLevel:Default", "Debug"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }
}

public sealed class SecretsInLogsTests(LogCaptureFactory factory) : IClassFixture<LogCaptureFactory>
{
    [Fact]
    public async Task No_code_token_or_password_reaches_the_log()
    {
        var client = factory.CreateClient();
        var email = UsersApiClient.NewEmail();
        const string newPassword = "brand-new-pass-9";
        var secrets = new List<string> { UsersApiClient.Password, newPassword };

        (await client.RegisterAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Created);
        secrets.Add((await MailSink.WaitForMailAsync(email)).VerificationCode());
        (await client.PostAsJsonAsync("/api/users/resend-verification", new { email })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var code = (await MailSink.WaitForMailAsync(email, skip: 1)).VerificationCode();
        secrets.Add(code);
        (await client.PostAsJsonAsync("/api/users/verify-email", new { email, code = code == "000000" ? "111111" : "000000" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await client.PostAsJsonAsync("/api/users/verify-email", new { email, code })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var first = await client.LoginTokensAsync(email);
        var refreshed = (await (await client.PostAsJsonAsync("/api/users/refresh", new { refreshToken = first.RefreshToken })).Content.ReadFromJsonAsync<Tokens>())!;
        (await client.PostAsJsonAsync("/api/users/refresh", new { refreshToken = first.RefreshToken })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await client.LoginAsync(email, "wrong-password-1")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        // The reuse ended that session; another one changes the password.
        var second = await client.LoginTokensAsync(email);
        var signedIn = factory.ClientWithToken(second.AccessToken);
        (await signedIn.PostAsJsonAsync("/api/users/me/password", new { currentPassword = UsersApiClient.Password, newPassword })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var last = await client.LoginTokensAsync(email, newPassword);
        (await factory.ClientWithToken(last.AccessToken).PostAsJsonAsync("/api/users/logout", new { refreshToken = last.RefreshToken })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await factory.ClientWithToken(last.AccessToken).GetAsync("/api/users/me")).StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.Unauthorized);
        secrets.AddRange([first.AccessToken, first.RefreshToken, refreshed.AccessToken, refreshed.RefreshToken, second.AccessToken, second.RefreshToken, last.AccessToken, last.RefreshToken]);

        // The mails were sent and logged (the capture works), and no line carries anything secret.
        var lines = factory.Logs.Lines.ToList();
        lines.ShouldContain(l => l.Contains("Sent email", StringComparison.Ordinal) && l.Contains(email, StringComparison.Ordinal));
        foreach (var secret in secrets)
            lines.Where(l => l.Contains(secret, StringComparison.Ordinal)).ShouldBeEmpty($"a log line carries '{secret[..Math.Min(12, secret.Length)]}…'");
    }
}
