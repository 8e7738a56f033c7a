using Derp.Contracts.Users;
using System.Net;
using System.Net.Http.Json;
using Derp.TestSupport;
using Derp.Users.Api.Infrastructure;
using Derp.Users.Api.Model;
using Derp.Users.Api.Services;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Users.FunctionalTests;

/// <summary>A users instance whose SMTP server is unreachable until the test brings it back.</summary>
public sealed class SwitchableSmtpFactory : UsersApiFactory
{
    private readonly SwitchableSettings _smtp = new();

    public SwitchableSmtpFactory() => _smtp.Switch("Smtp:Port", "1");

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        base.Settings().Append(new("Smtp:TimeoutMilliseconds", "2000"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureAppConfiguration(configuration => configuration.Add(_smtp));
    }

    public void SmtpRecovers() => _smtp.Switch("Smtp:Port", TestInfrastructure.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private sealed class SwitchableSettings : ConfigurationProvider, IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

        public void Switch(string key, string value)
        {
            Data[key] = value;
            OnReload();
        }
    }
}

public sealed class MailQueueTests(SwitchableSmtpFactory factory) : IClassFixture<SwitchableSmtpFactory>
{
    [Fact]
    public async Task The_verification_mail_waits_out_an_smtp_outage_and_then_arrives()
    {
        var email = UsersApiClient.NewEmail();
        (await factory.CreateClient().RegisterAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var mail = await Until.ValueAsync(async () =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<UsersContext>().OutgoingEmails.AsNoTracking()
                .SingleOrDefaultAsync(m => m.Recipient == email && m.Template == "verification-code");
        }, m => m is { Attempts: > 0 }, "the verification mail to be tried", TimeSpan.FromSeconds(30));
        mail!.Status.ShouldBe(EmailStatuses.Pending);
        mail.LastError.ShouldNotBeNullOrEmpty();
        mail.NextAttemptAt.ShouldBeLessThanOrEqualTo(factory.Clock.GetUtcNow() + TimeSpan.FromSeconds(5));
        MailSink.MailsTo(email).ShouldBeEmpty();
        // Retries back off from seconds, and never wait more than a few minutes.
        EmailDispatcher.RetryDelay(1).ShouldBe(TimeSpan.FromSeconds(5));
        EmailDispatcher.RetryDelay(EmailDispatcher.MaxAttempts).ShouldBe(EmailDispatcher.MaxRetryDelay);
        EmailDispatcher.MaxRetryDelay.ShouldBeLessThanOrEqualTo(TimeSpan.FromMinutes(5));

        factory.SmtpRecovers();
        factory.Clock.Advance(EmailDispatcher.MaxRetryDelay);

        var code = (await MailSink.WaitForMailAsync(email, timeout: TimeSpan.FromSeconds(30))).VerificationCode();
        (await factory.CreateClient().PostAsJsonAsync("/api/users/verify-email", new { email, code })).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
