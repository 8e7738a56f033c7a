using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Serials.Api.Infrastructure;
using Derp.Serials.Api.Services;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Serials.FunctionalTests;

public sealed class BatchTests(SerialsApiFactory factory) : IClassFixture<SerialsApiFactory>
{
    [Fact]
    public async Task A_batch_makes_unused_prefixed_codes_from_the_unambiguous_alphabet()
    {
        var admin = factory.Admin();
        var batchId = await admin.CreateBatchAsync(new { prefix = "vip", count = 25, kind = "rental", durationDays = 30, codeLength = 12, trafficQuotaGb = 100 });

        var serials = await admin.SerialsOfBatchAsync(batchId);

        serials.Count.ShouldBe(25);
        foreach (var serial in serials)
        {
            var fullCode = serial.GetProperty("fullCode").GetString()!;
            fullCode.ShouldStartWith("VIP-");
            fullCode[4..].Length.ShouldBe(12);
            fullCode[4..].ShouldAllBe(c => SerialCodes.Alphabet.Contains(c));
            serial.GetProperty("status").GetString().ShouldBe("unused");
            serial.GetProperty("trafficQuotaGb").GetInt32().ShouldBe(100);
            // Requirements §3.3: unused serials expire after 30 days by default.
            (serial.GetProperty("validUntil").GetDateTimeOffset() - serial.GetProperty("createdAt").GetDateTimeOffset()).ShouldBe(TimeSpan.FromDays(30));
        }
        serials.Select(s => s.GetProperty("fullCode").GetString()).Distinct().Count().ShouldBe(25);
    }

    [Fact]
    public async Task A_hundred_thousand_serials_are_generated_in_one_request_without_duplicates_across_batches()
    {
        var admin = factory.Admin();
        var first = await admin.CreateBatchAsync(new { prefix = "BIG", count = 100_000, kind = "rental", durationDays = 3, codeLength = 6 });
        var second = await admin.CreateBatchAsync(new { prefix = "BIG", count = 1_000, kind = "rental", durationDays = 3, codeLength = 6 });

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SerialsContext>();
        (await db.Serials.CountAsync(s => s.BatchId == first)).ShouldBe(100_000);
        (await db.Serials.CountAsync(s => s.BatchId == second)).ShouldBe(1_000);
        var codes = db.Serials.Where(s => s.Prefix == "BIG");
        (await codes.Select(s => s.FullCode).Distinct().CountAsync()).ShouldBe(await codes.CountAsync());
    }

    [Theory]
    [InlineData("""{"prefix":"A","count":0,"kind":"rental","durationDays":3}""", "count")]
    [InlineData("""{"prefix":"A","count":100001,"kind":"rental","durationDays":3}""", "count")]
    [InlineData("""{"prefix":"A-B","count":1,"kind":"rental","durationDays":3}""", "prefix")]
    [InlineData("""{"prefix":"ABCDEFGHIJKLMNOPQ","count":1,"kind":"rental","durationDays":3}""", "prefix")]
    [InlineData("""{"prefix":"A","count":1,"kind":"gift","durationDays":3}""", "kind")]
    [InlineData("""{"prefix":"A","count":1,"kind":"rental"}""", "durationDays")]
    [InlineData("""{"prefix":"A","count":1,"kind":"licence"}""", "durationHours")]
    [InlineData("""{"prefix":"A","count":1,"kind":"balance"}""", "valueCents")]
    [InlineData("""{"prefix":"A","count":1,"kind":"balance","valueCents":-100}""", "valueCents")]
    [InlineData("""{"prefix":"A","count":1,"kind":"rental","durationDays":3,"valueCents":-1}""", "valueCents")]
    [InlineData("""{"prefix":"A","count":1,"kind":"licence","durationHours":3,"valueCents":-5}""", "valueCents")]
    [InlineData("""{"prefix":"A","count":1,"kind":"rental","durationDays":3,"remark":"a\u0000b"}""", "remark")]
    [InlineData("""{"prefix":"A","count":1,"kind":"rental","durationDays":3,"codeLength":5}""", "codeLength")]
    [InlineData("""{"prefix":"A","count":1,"kind":"rental","durationDays":3,"bindingPolicy":"loose"}""", "bindingPolicy")]
    [InlineData("""{"prefix":"A","count":1,"kind":"rental","durationDays":3,"dataKey":"k"}""", "dataKey")]
    public async Task Invalid_batches_are_refused_naming_the_field(string body, string field)
    {
        var response = await factory.Admin().PostAsync("/api/serials/batches", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBe("validation_failed");
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        errors.TryGetProperty(field, out _).ShouldBeTrue(errors.ToString());
    }

    [Fact]
    public async Task A_renter_cannot_reach_admin_endpoints()
    {
        var renter = factory.Renter();
        var id = Guid.NewGuid();

        foreach (var response in new[]
                 {
                     await renter.PostAsJsonAsync("/api/serials/batches", new { prefix = "X", count = 1, kind = "rental", durationDays = 3 }),
                     await renter.GetAsync("/api/serials"),
                     await renter.GetAsync($"/api/serials/{id}"),
                     await renter.PatchAsJsonAsync($"/api/serials/{id}", new { status = "disabled" }),
                     await renter.DeleteAsync($"/api/serials/{id}"),
                     await renter.GetAsync("/api/serials/export"),
                     await renter.GetAsync("/api/serials/logs"),
                     await renter.GetAsync("/api/serials/logs/stats"),
                     await renter.GetAsync("/api/serials/binding-mismatches"),
                     await renter.PostAsync($"/api/serials/{id}/unbind", null),
                 })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }
        (await factory.CreateClient().GetAsync("/api/serials")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
