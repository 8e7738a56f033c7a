using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Serials.Api.Infrastructure;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Serials.FunctionalTests;

/// <summary>Issue 14: batches with counts per status, disabling a batch, and bulk actions on selected serials.</summary>
public sealed class BatchesApiTests(SerialsApiFactory factory) : IClassFixture<SerialsApiFactory>
{
    private static string NewPrefix() => "B" + Random.Shared.Next(100000, 999999);

    private async Task<Guid> RedeemAsync(string code)
    {
        var userId = Guid.NewGuid();
        var response = await factory.Renter(userId).PostAsJsonAsync("/api/serials/redeem", new { code });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return userId;
    }

    [Fact]
    public async Task Batches_list_their_serials_per_status_and_filter_by_kind_and_prefix()
    {
        var admin = factory.Admin();
        var prefix = NewPrefix();
        var batchId = await admin.CreateBatchAsync(new { prefix, count = 4, kind = "rental", durationDays = 30 });
        await admin.CreateBatchAsync(new { prefix, count = 2, kind = "balance", valueCents = 500 });
        var serials = await admin.SerialsOfBatchAsync(batchId);
        var userId = await RedeemAsync(serials[0].GetProperty("fullCode").GetString()!);
        (await admin.PatchAsJsonAsync($"/api/serials/{serials[1].GetProperty("id").GetGuid()}", new { status = "disabled" })).EnsureSuccessStatusCode();

        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/serials/batches?prefix={prefix.ToLowerInvariant()}&kind=rental");

        page.GetProperty("total").GetInt32().ShouldBe(1);
        var batch = page.GetProperty("items")[0];
        batch.GetProperty("id").GetGuid().ShouldBe(batchId);
        batch.GetProperty("count").GetInt32().ShouldBe(4);
        var counts = batch.GetProperty("counts");
        (counts.GetProperty("unused").GetInt32(), counts.GetProperty("used").GetInt32(), counts.GetProperty("disabled").GetInt32(),
            counts.GetProperty("active").GetInt32(), counts.GetProperty("expired").GetInt32()).ShouldBe((2, 1, 1, 0, 0));
        (await admin.GetFromJsonAsync<JsonElement>($"/api/serials/batches?prefix={prefix}")).GetProperty("total").GetInt32().ShouldBe(2);
        (await admin.GetFromJsonAsync<JsonElement>($"/api/serials/batches/{batchId}")).GetProperty("counts").GetProperty("unused").GetInt32().ShouldBe(2);

        // The serial list carries who used a serial and when, for the used-by and redeemed-at columns.
        var used = (await admin.SerialsOfBatchAsync(batchId)).Single(s => s.GetProperty("status").GetString() == "used");
        used.GetProperty("userId").GetGuid().ShouldBe(userId);
        used.GetProperty("firstUsedAt").ValueKind.ShouldBe(JsonValueKind.String);
    }

    [Fact]
    public async Task Disabling_a_batch_disables_only_its_unused_serials_and_logs_each()
    {
        var admin = factory.Admin();
        var batchId = await admin.CreateBatchAsync(new { prefix = NewPrefix(), count = 3, kind = "rental", durationDays = 30 });
        var other = await admin.CreateBatchAsync(new { prefix = NewPrefix(), count = 1, kind = "rental", durationDays = 30 });
        var serials = await admin.SerialsOfBatchAsync(batchId);
        await RedeemAsync(serials[0].GetProperty("fullCode").GetString()!);

        var response = await admin.PostAsync($"/api/serials/batches/{batchId}/disable", null);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disabled").GetInt32().ShouldBe(2);
        var statuses = (await admin.SerialsOfBatchAsync(batchId)).Select(s => s.GetProperty("status").GetString()).Order().ToList();
        statuses.ShouldBe(["disabled", "disabled", "used"]);
        (await admin.SerialsOfBatchAsync(other)).Single().GetProperty("status").GetString().ShouldBe("unused");
        var log = await admin.GetFromJsonAsync<JsonElement>($"/api/serials/logs?action=disable&pageSize=500");
        log.GetProperty("items").EnumerateArray().Count(l => l.GetProperty("batchId").GetGuid() == batchId && l.GetProperty("userId").GetGuid() == factory.AdminId)
            .ShouldBe(2);
        // A disabled serial enabled again returns to unused.
        var disabledId = (await admin.SerialsOfBatchAsync(batchId)).First(s => s.GetProperty("status").GetString() == "disabled").GetProperty("id").GetGuid();
        (await admin.PatchAsJsonAsync($"/api/serials/{disabledId}", new { status = "enabled" })).EnsureSuccessStatusCode();
        (await admin.GetFromJsonAsync<JsonElement>($"/api/serials/{disabledId}")).GetProperty("serial").GetProperty("status").GetString().ShouldBe("unused");
    }

    [Fact]
    public async Task Bulk_disable_and_enable_change_the_selection_and_count_what_was_already_so()
    {
        var admin = factory.Admin();
        var serials = await admin.NewSerialsAsync(count: 3);
        var ids = serials.Select(s => s.Id).ToList();
        (await admin.PatchAsJsonAsync($"/api/serials/{ids[0]}", new { status = "disabled" })).EnsureSuccessStatusCode();

        var disable = await (await admin.PostAsJsonAsync("/api/serials/bulk", new { action = "disable", ids })).Content.ReadFromJsonAsync<JsonElement>();

        (disable.GetProperty("changed").GetInt32(), disable.GetProperty("unchanged").GetInt32()).ShouldBe((2, 1));
        foreach (var id in ids)
            (await admin.GetFromJsonAsync<JsonElement>($"/api/serials/{id}")).GetProperty("serial").GetProperty("status").GetString().ShouldBe("disabled");
        var enable = await (await admin.PostAsJsonAsync("/api/serials/bulk", new { action = "enable", ids = ids.Take(2) })).Content.ReadFromJsonAsync<JsonElement>();
        enable.GetProperty("changed").GetInt32().ShouldBe(2);
        (await admin.GetFromJsonAsync<JsonElement>($"/api/serials/{ids[2]}")).GetProperty("serial").GetProperty("status").GetString().ShouldBe("disabled");
        var detail = await admin.GetFromJsonAsync<JsonElement>($"/api/serials/{ids[1]}");
        detail.GetProperty("serial").GetProperty("status").GetString().ShouldBe("unused");
        detail.GetProperty("useLog").EnumerateArray().Select(l => l.GetProperty("action").GetString()).ShouldBe(["enable", "disable", "generate"]);
    }

    [Fact]
    public async Task A_bulk_action_with_an_unknown_id_changes_nothing()
    {
        var admin = factory.Admin();
        var serials = await admin.NewSerialsAsync(count: 2);

        var response = await admin.PostAsJsonAsync("/api/serials/bulk", new { action = "disable", ids = serials.Select(s => s.Id).Append(Guid.NewGuid()) });

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.ProblemCodeAsync()).ShouldBe("serial_not_found");
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SerialsContext>();
        var ids = serials.Select(s => s.Id).ToList();
        (await db.Serials.Where(s => ids.Contains(s.Id)).Select(s => s.Status).ToListAsync()).ShouldAllBe(s => s == "unused");
    }

    [Fact]
    public async Task The_selected_serials_export_as_a_file()
    {
        var admin = factory.Admin();
        var serials = await admin.NewSerialsAsync(count: 3);

        var txt = await admin.PostAsJsonAsync("/api/serials/export", new { ids = serials.Take(2).Select(s => s.Id) });
        var csv = await admin.PostAsJsonAsync("/api/serials/export", new { ids = serials.Select(s => s.Id), format = "csv" });

        txt.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await txt.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order()
            .ShouldBe(serials.Take(2).Select(s => s.Code).Order());
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("full_code,kind,status");
        lines.Length.ShouldBe(4);
    }

    [Theory]
    [InlineData("/api/serials/bulk", """{"action":"delete","ids":["8d7f1c3e-0000-4000-8000-000000000001"]}""", "action")]
    [InlineData("/api/serials/bulk", """{"action":"disable","ids":[]}""", "ids")]
    [InlineData("/api/serials/bulk", """{"action":"disable"}""", "ids")]
    [InlineData("/api/serials/export", """{"ids":["8d7f1c3e-0000-4000-8000-000000000001"],"format":"xlsx"}""", "format")]
    public async Task Bad_bulk_requests_are_refused_naming_the_field(string url, string body, string field)
    {
        var response = await factory.Admin().PostAsync(url, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBe("validation_failed");
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        errors.TryGetProperty(field, out _).ShouldBeTrue(errors.ToString());
    }

    [Fact]
    public async Task More_than_a_thousand_ids_are_refused()
    {
        var response = await factory.Admin().PostAsJsonAsync("/api/serials/bulk",
            new { action = "disable", ids = Enumerable.Range(0, 1001).Select(_ => Guid.NewGuid()) });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBe("validation_failed");
    }

    [Fact]
    public async Task Unknown_batches_are_404_problems_and_bad_filters_400()
    {
        var admin = factory.Admin();

        var detail = await admin.GetAsync($"/api/serials/batches/{Guid.NewGuid()}");
        var disable = await admin.PostAsync($"/api/serials/batches/{Guid.NewGuid()}/disable", null);
        var badKind = await admin.GetAsync("/api/serials/batches?kind=gift");
        var badPrefix = await admin.GetAsync("/api/serials/batches?prefix=a-b");

        detail.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await detail.ProblemCodeAsync()).ShouldBe("batch_not_found");
        (await disable.ProblemCodeAsync()).ShouldBe("batch_not_found");
        (await badKind.ProblemCodeAsync()).ShouldBe("validation_failed");
        (await badPrefix.ProblemCodeAsync()).ShouldBe("validation_failed");
    }

    [Fact]
    public async Task A_renter_cannot_reach_the_batch_endpoints()
    {
        var renter = factory.Renter();
        var id = Guid.NewGuid();

        foreach (var response in new[]
                 {
                     await renter.GetAsync("/api/serials/batches"),
                     await renter.GetAsync($"/api/serials/batches/{id}"),
                     await renter.PostAsync($"/api/serials/batches/{id}/disable", null),
                     await renter.PostAsJsonAsync("/api/serials/bulk", new { action = "disable", ids = new[] { id } }),
                     await renter.PostAsJsonAsync("/api/serials/export", new { ids = new[] { id } }),
                 })
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
