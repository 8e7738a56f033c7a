using Derp.Contracts.Distribution;
using Derp.Distribution.Api.Apis;
using Derp.Distribution.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Derp.Distribution.Api.Jobs;

/// <summary>
/// Approved requests not paid by their PayBy expire, and their orders are cancelled in finance
/// (<see cref="SerialPurchaseCancelled"/>). Rows are claimed with SKIP LOCKED, so a request a payment holds right now is
/// left for the next run.
/// </summary>
[DisallowConcurrentExecution]
public sealed class RequestExpiryJob(DistributionContext db, TimeProvider clock, ILogger<RequestExpiryJob> logger) : IJob
{
    public static readonly JobKey Key = new("distribution-request-expiry");

    public const int BatchSize = 100;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var expired = await ExpireDueAsync(cancellationToken);
        if (expired > 0)
            logger.LogInformation("Expired {Count} unpaid serial requests", expired);
    }

    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var now = clock.GetUtcNow();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var due = await db.SerialRequests.FromSql(
                    $"""
                     SELECT * FROM serial_requests WHERE status = {SerialRequestStatuses.Approved} AND pay_by <= {now}
                     ORDER BY pay_by LIMIT {BatchSize} FOR UPDATE SKIP LOCKED
                     """)
                .ToListAsync(cancellationToken);
            foreach (var row in due)
                SerialRequestsApi.Close(db, row, SerialRequestStatuses.Expired, "Not paid in time", clock);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            total += due.Count;
            if (due.Count < BatchSize)
                return total;
        }
    }
}
