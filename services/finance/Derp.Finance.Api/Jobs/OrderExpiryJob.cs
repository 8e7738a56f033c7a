using Derp.Contracts.Finance;
using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.Model;
using Derp.Finance.Api.Services;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Derp.Finance.Api.Jobs;

/// <summary>
/// Unpaid orders past their expiry become expired. Rows are claimed in batches with SKIP LOCKED, so an order a payment
/// holds right now is left for the next run, and replicas never take the same order. Money a partly paid order
/// received goes to the renter's wallet: an expired order holds none, and none is lost.
/// </summary>
[DisallowConcurrentExecution]
public sealed class OrderExpiryJob(FinanceContext db, OrderPayments payments, TimeProvider clock, ILogger<OrderExpiryJob> logger) : IJob
{
    public static readonly JobKey Key = new("finance-order-expiry");

    public const int BatchSize = 100;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var expired = await ExpireDueAsync(cancellationToken);
        if (expired > 0)
            logger.LogInformation("Expired {Count} unpaid orders", expired);
    }

    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var now = clock.GetUtcNow();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var due = await db.Orders.FromSql(
                    $"""
                     SELECT * FROM orders WHERE status = {OrderStatuses.PendingPayment} AND expires_at <= {now}
                     ORDER BY expires_at LIMIT {BatchSize} FOR UPDATE SKIP LOCKED
                     """)
                .ToListAsync(cancellationToken);
            foreach (var order in due)
            {
                await payments.ReleasePaidToWalletAsync(order, operatorId: null, $"Order {order.Number} expired with money received", cancellationToken);
                order.Status = OrderStatuses.Expired;
            }
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            total += due.Count;
            if (due.Count < BatchSize)
                return total;
        }
    }
}
