using System.Text.Json;
using Derp.Contracts.Distribution;
using Derp.Contracts.Finance;
using Derp.Finance.Api.Apis;
using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.Model;
using Derp.Finance.Api.Services;
using Derp.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Derp.Finance.Api.IntegrationEvents;

/// <summary>
/// distribution approved a serial request at a fixed price: the distributor pays it as an order of type
/// <c>serial_purchase</c> under the id distribution chose (ADR-019), so the order exists once however often and under
/// whatever message id the event arrives (the primary key is the last word when two copies race; the loser retries and
/// finds it). It pays like any order (wallet, transfer, provider) and expires at the request's PayBy.
/// </summary>
public sealed class SerialPurchaseApprovedConsumer(FinanceContext db, TimeProvider clock, ILogger<SerialPurchaseApprovedConsumer> logger)
    : IConsumer<SerialPurchaseApproved>
{
    public Task Consume(ConsumeContext<SerialPurchaseApproved> context) =>
        db.ConsumeOnceAsync(context, nameof(SerialPurchaseApprovedConsumer), async cancellationToken =>
        {
            var approved = context.Message;
            if (await db.Orders.AnyAsync(o => o.Id == approved.OrderId, cancellationToken))
                return;
            var plan = await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == approved.PlanId, cancellationToken);
            var accounts = await OrdersApi.EnabledAccountsAsync(db, cancellationToken);
            var now = clock.GetUtcNow();
            var nameZh = plan?.NameZh ?? "卡密";
            var nameEn = plan?.NameEn ?? "Serials";
            db.Orders.Add(new Order
            {
                Id = approved.OrderId,
                Number = OrderCodes.NewNumber(now),
                UserId = approved.DistributorId,
                PlanId = approved.PlanId,
                // The quantity in the name: the order list shows what was bought without asking distribution.
                PlanNameZh = $"{nameZh} × {approved.Quantity}",
                PlanNameEn = $"{nameEn} × {approved.Quantity}",
                DurationDays = plan?.DurationDays ?? 0,
                TrafficQuotaGb = plan?.TrafficQuotaGb ?? 0,
                Type = OrderTypes.SerialPurchase,
                Status = OrderStatuses.PendingPayment,
                PriceCents = approved.PriceCents,
                Currency = approved.Currency,
                // A memo taken by another pending order fails the unique index: the message is retried with a fresh draw.
                Memo = OrderCodes.NewMemo(),
                InstructionsJson = JsonSerializer.Serialize(accounts, JsonSerializerOptions.Web),
                CreatedAt = now,
                ExpiresAt = approved.PayBy,
                Remark = $"Serial request {approved.RequestId}: {approved.Quantity} serials, tier {approved.TierCode} ({approved.RateBasisPoints} bp off)",
            });
            logger.LogInformation("Serial purchase order {OrderId} opened for request {RequestId} of distributor {DistributorId}: {PriceCents} {Currency}",
                approved.OrderId, approved.RequestId, approved.DistributorId, approved.PriceCents, approved.Currency);
        });
}

/// <summary>
/// distribution withdrew a serial request (cancelled or expired before payment): its order is cancelled if still
/// pending, exactly as an admin cancels (money already applied goes to the wallet). A paid order stays paid: the
/// payment came first and distribution issues the serials when it hears of it.
/// </summary>
public sealed class SerialPurchaseCancelledConsumer(FinanceContext db, OrderPayments payments, ILogger<SerialPurchaseCancelledConsumer> logger)
    : IConsumer<SerialPurchaseCancelled>
{
    public Task Consume(ConsumeContext<SerialPurchaseCancelled> context) =>
        db.ConsumeOnceAsync(context, nameof(SerialPurchaseCancelledConsumer), async cancellationToken =>
        {
            var cancelled = context.Message;
            var order = await payments.LockOrderAsync(cancelled.OrderId, cancellationToken);
            if (order is null || order.Type != OrderTypes.SerialPurchase)
            {
                // Not (yet) here: distribution publishes the approval before any cancel through one outbox, so this is a foreign message.
                logger.LogWarning("Serial purchase {OrderId} of request {RequestId} cancelled but no such order", cancelled.OrderId, cancelled.RequestId);
                return;
            }
            if (order.Status != OrderStatuses.PendingPayment)
                return;
            await payments.CancelAsync(order, operatorId: null, cancelled.Reason, cancellationToken);
        });
}

/// <summary>
/// distribution put a paid serial purchase's serials into the distributor's stock: the order is fulfilled (once; an
/// order refunded meanwhile stays refunded). Idempotent by its condition, so no inbox row is needed.
/// </summary>
public sealed class SerialPurchaseIssuedConsumer(FinanceContext db, TimeProvider clock) : IConsumer<SerialPurchaseIssued>
{
    public Task Consume(ConsumeContext<SerialPurchaseIssued> context)
    {
        var issued = context.Message;
        var now = clock.GetUtcNow();
        return db.Orders.Where(o => o.Id == issued.OrderId && o.UserId == issued.DistributorId && o.Type == OrderTypes.SerialPurchase
                && o.Status == OrderStatuses.Paid)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatuses.Fulfilled).SetProperty(o => o.FulfilledAt, now), context.CancellationToken);
    }
}
