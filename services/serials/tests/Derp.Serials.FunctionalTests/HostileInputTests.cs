using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Derp.Serials.Api.Infrastructure;
using Derp.Serials.Api.Services;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Serials.FunctionalTests;

public sealed class HostileInputTests(SerialsApiFactory factory) : IClassFixture<SerialsApiFactory>
{
    private async Task<HttpResponseMessage> ValidateAsync(string json) =>
        await factory.CreateClient().PostAsync("/api/validate", new StringContent(json, Encoding.UTF8, "application/json"));

    private async Task<(Guid Id, string Code)> ActiveLicenceAsync()
    {
        var (id, code) = (await factory.Admin().NewSerialsAsync("licence")).Single();
        (await factory.CreateClient().PostAsJsonAsync("/api/validate", new { code, machine_code = "M-" + id, hardware = "hw" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        return (id, code);
    }

    [Theory]
    [InlineData("ünicode-nonce")]
    [InlineData("line\nbreak")]
    [InlineData("has space")]
    public async Task A_nonce_that_is_not_a_safe_token_is_refused_not_a_500(string nonce)
    {
        var (_, code) = await ActiveLicenceAsync();

        var response = await ValidateAsync(JsonSerializer.Serialize(new { code, machine_code = "M", nonce }));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        body.GetProperty("code").GetString().ShouldBe("invalid_request");
        body.GetProperty("message").GetString()!.ShouldContain("nonce");
        response.Headers.GetValues("X-Derp-Nonce").Single().ShouldBe("");
    }

    [Fact]
    public async Task A_nul_in_hardware_is_a_400_naming_the_field()
    {
        var (_, code) = await ActiveLicenceAsync();

        var response = await ValidateAsync($$"""{"code":"{{code}}","machine_code":"M","hardware":"x\u0000y"}""");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBe("validation_failed");
        (await response.Content.ReadAsStringAsync()).ShouldContain("\"hardware\"");
    }

    [Fact]
    public async Task One_row_the_database_refuses_does_not_sink_the_other_clients_records()
    {
        var good = new[] { await ActiveLicenceAsync(), await ActiveLicenceAsync(), await ActiveLicenceAsync() };
        var victim = await ActiveLicenceAsync();
        var recorder = factory.Services.GetRequiredService<ValidationRecorder>();
        var at = factory.Clock.GetUtcNow().AddMinutes(1);

        // Straight into the queue, past the HTTP input guard: the database itself refuses a NUL in text.
        recorder.Record(new AcceptedValidation(good[0].Id, "hw", "203.0.113.1", "isolate-test", "agent", null, at));
        recorder.Record(new AcceptedValidation(victim.Id, "bad\0hardware", "203.0.113.2", "isolate-test", "agent", null, at));
        recorder.Record(new AcceptedValidation(good[1].Id, "hw", "203.0.113.3", "isolate-test", "agent", null, at));
        recorder.Record(new AcceptedValidation(good[2].Id, "hw", "203.0.113.4", "isolate-test", "agent", null, at));

        var goodIds = good.Select(g => g.Id).ToList();
        await Until.TrueAsync(async () =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SerialsContext>();
            return await db.UseLogs.CountAsync(l => l.SerialId != null && goodIds.Contains(l.SerialId.Value) && l.Remark == "isolate-test") == 3;
        }, "the three good clients' validation records", TimeSpan.FromSeconds(20));
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SerialsContext>();
        (await db.ClientEnvironments.Where(c => goodIds.Contains(c.SerialId)).Select(c => c.Ip).ToListAsync())
            .Order().ShouldBe(["203.0.113.1", "203.0.113.3", "203.0.113.4"]);
        (await db.UseLogs.CountAsync(l => l.SerialId == victim.Id && l.Remark == "isolate-test")).ShouldBe(0);
    }

    [Theory]
    [InlineData("/api/serials?page=2147483647")]
    [InlineData("/api/serials/logs?page=2147483647")]
    [InlineData("/api/serials/binding-mismatches?page=2147483647")]
    [InlineData("/api/serials/logs?from=0001-01-01")]
    [InlineData("/api/serials?q=a%00b")]
    public async Task Hostile_queries_are_400_problems(string url)
    {
        var response = await factory.Admin().GetAsync(url);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBe("validation_failed");
    }
}
