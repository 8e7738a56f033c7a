using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Serials.Api.Infrastructure;
using Derp.Serials.Api.Jobs;
using Derp.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Serials.FunctionalTests;

public sealed class AdminTests(SerialsApiFactory factory) : IClassFixture<SerialsApiFactory>
{
    [Fact]
    public async Task The_list_filters_by_status_prefix_kind_and_text()
    {
        var admin = factory.Admin();
        var prefix = "F" + Random.Shared.Next(10000, 99999);
        var batchId = await admin.CreateBatchAsync(new { prefix, count = 4, kind = "rental", durationDays = 5, remark = "spring sale" });
        var serials = await admin.SerialsOfBatchAsync(batchId);
        await admin.PatchAsJsonAsync($"/api/serials/{serials[0].GetProperty("id").GetGuid()}", new { status = "disabled" });

        var unused = await admin.GetFromJsonAsync<JsonElement>($"/api/serials?status=unused&prefix={prefix.ToLowerInvariant()}&kind=rental");
        var disabled = await admin.GetFromJsonAsync<JsonElement>($"/api/serials?status=disabled&prefix={prefix}");
        var byText = await admin.GetFromJsonAsync<JsonElement>($"/api/serials?q={serials[1].GetProperty("fullCode").GetString()!.ToLowerInvariant()}");
        var byRemark = await admin.GetFromJsonAsync<JsonElement>($"/api/serials?q=spring&prefix={prefix}");

        unused.GetProperty("total").GetInt32().ShouldBe(3);
        disabled.GetProperty("total").GetInt32().ShouldBe(1);
        byText.GetProperty("total").GetInt32().ShouldBe(1);
        byRemark.GetProperty("total").GetInt32().ShouldBe(4);
        (await admin.GetAsync("/api/serials?status=lost")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await admin.GetAsync("/api/serials?pageSize=100000")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Disable_enable_and_edit_are_logged_and_enable_restores_the_previous_status()
    {
        var admin = factory.Admin();
        var (id, _) = (await admin.NewSerialsAsync("rental")).Single();

        (await admin.PatchAsJsonAsync($"/api/serials/{id}", new { status = "disabled" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var enabled = await (await admin.PatchAsJsonAsync($"/api/serials/{id}", new { status = "enabled", remark = "given to Li" })).Content.ReadFromJsonAsync<JsonElement>();
        (await admin.PatchAsJsonAsync($"/api/serials/{id}", new { })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        enabled.GetProperty("status").GetString().ShouldBe("unused");
        enabled.GetProperty("remark").GetString().ShouldBe("given to Li");
        var actions = (await admin.GetFromJsonAsync<JsonElement>($"/api/serials/{id}")).GetProperty("useLog").EnumerateArray()
            .Select(l => l.GetProperty("action").GetString()).ToList();
        actions.ShouldContain("disable");
        actions.ShouldContain("enable");
        actions.ShouldContain("edit");
        actions.ShouldContain("generate");
    }

    [Fact]
    public async Task Only_never_used_serials_can_be_deleted()
    {
        var admin = factory.Admin();
        var serials = await admin.NewSerialsAsync("rental", count: 3);
        await factory.Renter().PostAsJsonAsync("/api/serials/redeem", new { code = serials[2].Code });
        await admin.PatchAsJsonAsync($"/api/serials/{serials[1].Id}", new { status = "disabled" });

        (await admin.DeleteAsync($"/api/serials/{serials[0].Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await admin.DeleteAsync($"/api/serials/{serials[1].Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var used = await admin.DeleteAsync($"/api/serials/{serials[2].Id}");

        used.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await used.ProblemCodeAsync()).ShouldBe("serial_in_use");
        (await admin.GetAsync($"/api/serials/{serials[0].Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.DeleteAsync($"/api/serials/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Export_writes_one_unused_full_code_per_line_or_csv()
    {
        var admin = factory.Admin();
        var prefix = "EX" + Random.Shared.Next(1000, 9999);
        var batchId = await admin.CreateBatchAsync(new { prefix, count = 5, kind = "rental", durationDays = 3 });
        var serials = await admin.SerialsOfBatchAsync(batchId);
        await factory.Renter().PostAsJsonAsync("/api/serials/redeem", new { code = serials[0].GetProperty("fullCode").GetString() });

        var txt = await admin.GetAsync($"/api/serials/export?status=unused&prefix={prefix}&format=txt");
        var lines = (await txt.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var csv = await admin.GetStringAsync($"/api/serials/export?batchId={batchId}&status=used&format=csv");

        txt.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        lines.Length.ShouldBe(4);
        lines.ShouldAllBe(l => l.StartsWith(prefix + "-"));
        lines.ShouldNotContain(serials[0].GetProperty("fullCode").GetString()!);
        csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(2);
        csv.ShouldStartWith("full_code,kind,status");
        (await admin.GetAsync("/api/serials/export?format=xlsx")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_expiry_job_expires_unused_serials_past_valid_until_and_licences_past_expiry()
    {
        var admin = factory.Admin();
        var (staleId, _) = (await admin.NewSerialsAsync("rental")).Single();
        var (freshId, _) = (await admin.NewSerialsAsync("rental")).Single();
        var (licenceId, licence) = (await admin.NewSerialsAsync("licence", extra: new { durationHours = 1 })).Single();
        await admin.PatchAsJsonAsync($"/api/serials/{staleId}", new { validUntil = factory.Clock.GetUtcNow().AddMinutes(-1) });
        await factory.CreateClient().PostAsJsonAsync("/api/validate", new { code = licence, machine_code = "M" });

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SerialsContext>();
        await SerialExpiryJob.ExpireAsync(db, factory.Clock.GetUtcNow().AddHours(2), CancellationToken.None);
        var twice = await SerialExpiryJob.ExpireAsync(db, factory.Clock.GetUtcNow().AddHours(2), CancellationToken.None);

        async Task<string> StatusOf(Guid id) =>
            (await admin.GetFromJsonAsync<JsonElement>($"/api/serials/{id}")).GetProperty("serial").GetProperty("status").GetString()!;
        (await StatusOf(staleId)).ShouldBe("expired");
        (await StatusOf(freshId)).ShouldBe("unused");
        (await StatusOf(licenceId)).ShouldBe("expired");
        twice.ShouldBe((0, 0));
    }

    [Fact]
    public async Task The_use_log_is_queryable_by_action_and_use_type()
    {
        var admin = factory.Admin();
        var userId = Guid.NewGuid();
        var (_, code) = (await admin.NewSerialsAsync("rental")).Single();
        await factory.Renter(userId).PostAsJsonAsync("/api/serials/redeem", new { code });

        var log = await admin.GetFromJsonAsync<JsonElement>($"/api/serials/logs?userId={userId}&action=redeem&useType=membership");

        log.GetProperty("total").GetInt32().ShouldBe(1);
        (await admin.GetAsync("/api/serials/logs?useType=gift")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}

// Volume: their own class, so the rest need not wait. The million-row export and its memory are measured by
// scripts/bench-export.sh (`make bench`), not here.
public sealed class ExportVolumeTests(SerialsApiFactory factory) : IClassFixture<SerialsApiFactory>
{
    [Fact]
    public async Task Many_serials_are_exported_streamed_each_exactly_once()
    {
        var admin = factory.Admin();
        for (var i = 0; i < 2; i++)
            await admin.CreateBatchAsync(new { prefix = "VOL", count = 50_000, kind = "rental", durationDays = 3, codeLength = 8 });

        using var response = await admin.GetAsync("/api/serials/export?status=unused&prefix=VOL", HttpCompletionOption.ResponseHeadersRead);
        response.Content.Headers.ContentLength.ShouldBeNull(); // streamed, not buffered
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var lines = 0;
        var distinct = new HashSet<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            lines++;
            distinct.Add(line);
        }

        lines.ShouldBe(100_000);
        distinct.Count.ShouldBe(100_000);
    }
}
