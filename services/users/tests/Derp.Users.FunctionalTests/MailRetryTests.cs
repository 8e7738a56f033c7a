using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.TestSupport;
using Derp.Users.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Users.FunctionalTests;

/// <summary>An instance whose SMTP server is unreachable.</summary>
public sealed class NoSmtpFactory : UsersApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        base.Settings().Append(new("Smtp:Port", "1")).Append(new("Smtp:TimeoutMilliseconds", "2000"));
}

public sealed class MailRetryTests(NoSmtpFactory factory) : IClassFixture<NoSmtpFactory>
{
    [Fact]
    public async Task A_mail_that_cannot_be_sent_is_retried_later_and_never_blocks_the_change()
    {
        var admin = factory.ClientWithToken((await factory.CreateClient().LoginTokensAsync(factory.AdminEmail, UsersApiFactory.AdminPassword)).AccessToken);
        var email = UsersApiClient.NewEmail();
        // Registration itself succeeds although its verification mail cannot leave.
        (await factory.CreateClient().RegisterAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var userId = (await admin.GetFromJsonAsync<JsonElement>($"/api/users?q={email}")).GetProperty("items")[0].GetProperty("id").GetGuid();

        var extend = await admin.PostAsJsonAsync($"/api/users/{userId}/rental/extend", new { until = factory.Clock.GetUtcNow().AddDays(30) });
        extend.StatusCode.ShouldBe(HttpStatusCode.OK); // the rental changed; its "extended" mail waits

        JsonElement mail = default;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var log = await admin.GetFromJsonAsync<JsonElement>($"/api/users/emails?userId={userId}");
            mail = log.GetProperty("items").EnumerateArray().FirstOrDefault(m => m.GetProperty("attempts").GetInt32() > 0);
            if (mail.ValueKind != JsonValueKind.Undefined)
                break;
            await Task.Delay(200);
        }
        mail.GetProperty("status").GetString().ShouldBe("pending");
        mail.GetProperty("lastError").GetString().ShouldNotBeNullOrEmpty();

        await using var scope = factory.Services.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<UsersContext>().OutgoingEmails.AsNoTracking().SingleAsync(m => m.Id == mail.GetProperty("id").GetInt64());
        row.NextAttemptAt.ShouldBeGreaterThan(factory.Clock.GetUtcNow()); // retried later, with a growing delay
    }
}
