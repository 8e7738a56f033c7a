using System.Collections.Concurrent;
using Derp.Contracts.Serials;
using Derp.Serials.Api.Infrastructure;
using Derp.Serials.Api.Model;
using Derp.Serials.Api.Services;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Serials.FunctionalTests;

/// <summary>A serials instance whose code source hands out the codes a test lines up first, then random ones.</summary>
public sealed class ScriptedCodesFactory : SerialsApiFactory
{
    public ScriptedCodeSource Codes { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<SerialCodeSource>(Codes));
    }
}

public sealed class ScriptedCodeSource : SerialCodeSource
{
    private readonly ConcurrentQueue<string> _next = new();

    public void LineUp(IEnumerable<string> codes)
    {
        foreach (var code in codes)
            _next.Enqueue(code);
    }

    public override string NewCode(int length) => _next.TryDequeue(out var code) ? code : base.NewCode(length);
}

/// <summary>Bulk generation by COPY straight into the serials table (ADR-030): the rare duplicate code is generated again.</summary>
public sealed class BulkGenerationTests(ScriptedCodesFactory factory) : IClassFixture<ScriptedCodesFactory>
{
    [Fact]
    public async Task Codes_that_another_batch_already_has_are_generated_again_and_the_batch_still_gets_its_count()
    {
        var admin = factory.Admin();
        var prefix = "DUP" + Random.Shared.Next(100, 999);
        var first = await admin.CreateBatchAsync(new { prefix, count = 5, kind = "rental", durationDays = 30, codeLength = 8 });
        var existing = (await admin.SerialsOfBatchAsync(first)).Select(s => s.GetProperty("fullCode").GetString()![(prefix.Length + 1)..]).ToList();

        // The next batch's generator first draws every code of the first batch (and one of them twice), so its COPY
        // meets the unique full code and has to find fresh codes for those rows.
        factory.Codes.LineUp(existing.Append(existing[0]));
        var second = await admin.CreateBatchAsync(new { prefix, count = 12, kind = "rental", durationDays = 30, codeLength = 8, remark = "after a collision" });

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SerialsContext>();
        var made = await db.Serials.AsNoTracking().Where(s => s.BatchId == second).ToListAsync();
        made.Count.ShouldBe(12);
        made.Select(s => s.FullCode).Distinct().Count().ShouldBe(12);
        made.ShouldAllBe(s => !existing.Contains(s.Code));
        made.ShouldAllBe(s => s.FullCode == $"{prefix}-{s.Code}" && s.Status == SerialStatuses.Unused && s.Remark == "after a collision");
        (await db.Serials.CountAsync(s => s.BatchId == first)).ShouldBe(5);
        // The batch row and its one generate row survived the rollback to the savepoint.
        (await db.Batches.SingleAsync(b => b.Id == second)).Count.ShouldBe(12);
        (await db.UseLogs.CountAsync(l => l.BatchId == second && l.Action == SerialActions.Generate)).ShouldBe(1);
    }

    [Fact]
    public async Task A_batch_copies_every_column_of_the_request_into_its_serials()
    {
        var admin = factory.Admin();
        var batchId = await admin.CreateBatchAsync(new
        {
            prefix = "COL", count = 3, kind = "licence", durationHours = 5, valueCents = 1234, trafficQuotaGb = 7, validDays = 9,
            bindingPolicy = "lenient", remark = "columns",
        });

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SerialsContext>();
        var batch = await db.Batches.AsNoTracking().SingleAsync(b => b.Id == batchId);
        var serials = await db.Serials.AsNoTracking().Where(s => s.BatchId == batchId).ToListAsync();
        serials.Count.ShouldBe(3);
        foreach (var serial in serials)
        {
            serial.Prefix.ShouldBe("COL");
            serial.Kind.ShouldBe("licence");
            serial.DurationHours.ShouldBe(5);
            serial.DurationDays.ShouldBeNull();
            serial.ValueCents.ShouldBe(1234);
            serial.TrafficQuotaGb.ShouldBe(7);
            serial.BindingPolicy.ShouldBe("lenient");
            serial.Remark.ShouldBe("columns");
            serial.DistributorId.ShouldBeNull();
            serial.UserId.ShouldBeNull();
            serial.CreatedAt.ShouldBe(batch.CreatedAt, TimeSpan.FromMilliseconds(1));
            (serial.ValidUntil - serial.CreatedAt).ShouldBe(TimeSpan.FromDays(9));
        }
    }
}
