using Derp.Contracts.Distribution;
using Derp.Contracts.Finance;
using Derp.Contracts.Serials;
using Derp.Distribution.Api.Apis;
using Derp.Distribution.Api.Infrastructure;
using Derp.Distribution.Api.Model;
using Derp.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Derp.Distribution.Api.IntegrationEvents;

/// <summary>
/// finance says a serial purchase's order is paid: the request is paid and serials is asked for the batch
/// (<see cref="SerialBatchRequested"/>, once per request: the request's status is the guard, under its row lock, so the
/// same order under another message id asks nothing again). Rental orders are the commissions' business.
/// </summary>
public sealed class SerialPurchasePaidConsumer(DistributionContext db, TimeProvider clock, ILogger<SerialPurchasePaidConsumer> logger)
    : IConsumer<OrderPaid>
{
    public Task Consume(ConsumeContext<OrderPaid> context)
    {
        var paid = context.Message;
        if (paid.OrderType != OrderTypes.SerialPurchase)
            return Task.CompletedTask;
        return db.ConsumeOnceAsync(context, nameof(SerialPurchasePaidConsumer), async cancellationToken =>
        {
            var id = await db.SerialRequests.Where(r => r.OrderId == paid.OrderId).Select(r => (Guid?)r.Id).SingleOrDefaultAsync(cancellationToken);
            var row = id is { } requestId ? await SerialRequestsApi.LockAsync(db, requestId, cancellationToken) : null;
            if (row is null)
            {
                logger.LogWarning("Serial purchase order {OrderId} paid but no request has it", paid.OrderId);
                return;
            }
            if (row.Status is SerialRequestStatuses.Paid or SerialRequestStatuses.Issued)
                return;
            if (row.Status != SerialRequestStatuses.Approved)
            {
                // Cancelled or expired here while finance took the money (the cancel crossed the payment): the money
                // decides, the distributor gets the serials they paid for.
                logger.LogWarning("Serial request {RequestId} was {Status} when its order {OrderId} was paid; issuing anyway", row.Id, row.Status,
                    paid.OrderId);
                row.ClosedAt = null;
            }
            row.Status = SerialRequestStatuses.Paid;
            row.PaidAt = paid.PaidAt;
            db.AddIntegrationEvent(new SerialBatchRequested(row.Id, row.DistributorId, row.PlanId, row.Quantity, clock.GetUtcNow()), clock);
        });
    }
}

/// <summary>serials issued a request's batch: the request is issued and its serials become the distributor's stock (once).</summary>
public sealed class DistributorSerialsIssuedConsumer(DistributionContext db, TimeProvider clock, ILogger<DistributorSerialsIssuedConsumer> logger)
    : IConsumer<DistributorSerialsIssued>
{
    public Task Consume(ConsumeContext<DistributorSerialsIssued> context) =>
        db.ConsumeOnceAsync(context, nameof(DistributorSerialsIssuedConsumer), async cancellationToken =>
        {
            var issued = context.Message;
            var row = await SerialRequestsApi.LockAsync(db, issued.RequestId, cancellationToken);
            if (row is null)
            {
                logger.LogWarning("Batch {BatchId} issued for unknown serial request {RequestId}", issued.BatchId, issued.RequestId);
                return;
            }
            if (row.Status == SerialRequestStatuses.Issued)
                return;
            row.Status = SerialRequestStatuses.Issued;
            row.BatchId = issued.BatchId;
            row.IssuedAt = issued.IssuedAt;
            var ids = issued.Serials.Select(s => s.SerialId).ToList();
            var known = (await db.StockSerials.Where(s => ids.Contains(s.SerialId)).Select(s => s.SerialId).ToListAsync(cancellationToken)).ToHashSet();
            db.StockSerials.AddRange(issued.Serials.Where(s => !known.Contains(s.SerialId)).DistinctBy(s => s.SerialId).Select(s => new StockSerial
            {
                SerialId = s.SerialId,
                DistributorId = row.DistributorId,
                RequestId = row.Id,
                PlanId = row.PlanId,
                FullCode = s.FullCode,
                ValidUntil = s.ValidUntil,
                IssuedAt = issued.IssuedAt,
            }));
            if (row.OrderId is { } orderId)
                db.AddIntegrationEvent(new SerialPurchaseIssued(row.Id, orderId, row.DistributorId, issued.BatchId, issued.Serials.Count, issued.IssuedAt), clock);
        });
}

/// <summary>A distributor's serial was redeemed: it is no longer stock the storefront may deliver.</summary>
public sealed class StockSerialRedeemedConsumer(DistributionContext db) : IConsumer<SerialRedeemed>
{
    public Task Consume(ConsumeContext<SerialRedeemed> context)
    {
        var redeemed = context.Message;
        if (redeemed.DistributorId is null)
            return Task.CompletedTask;
        // Idempotent by itself: only a serial not yet marked changes, so no inbox row is needed.
        return db.StockSerials.Where(s => s.SerialId == redeemed.SerialId && s.RedeemedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RedeemedAt, redeemed.RedeemedAt), context.CancellationToken);
    }
}
