using Derp.Contracts.Distribution;
using Derp.Contracts.Finance;
using Derp.Contracts.Serials;
using Derp.Distribution.Api.Infrastructure;
using Derp.Distribution.Api.Model;
using Derp.Distribution.Api.Services;
using Derp.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Derp.Distribution.Api.IntegrationEvents;

/// <summary>
/// A renter who redeems a distributor's serial is attributed to that distributor; the first attribution stays (the
/// renter's primary key makes a second one a no-op, whatever message carries it), and only the first publishes
/// <see cref="RenterAttributed"/> (acl then shows the distributor this renter's policy logs).
/// </summary>
public sealed class AttributeRenterConsumer(DistributionContext db, TimeProvider clock, ILogger<AttributeRenterConsumer> logger) : IConsumer<SerialRedeemed>
{
    public Task Consume(ConsumeContext<SerialRedeemed> context)
    {
        var redeemed = context.Message;
        // Ignored messages are marked handled too, so whoever waits for this consumer (tests, operators) sees them done.
        return db.ConsumeOnceAsync(context, nameof(AttributeRenterConsumer), async cancellationToken =>
        {
            // A distributor redeeming their own serial is not a renter they brought.
            if (redeemed.DistributorId is not { } distributorId || distributorId == redeemed.UserId)
                return;
            var inserted = await db.Database.ExecuteSqlAsync(
                $"""
                 INSERT INTO attributions (renter_id, distributor_id, serial_id, attributed_at)
                 VALUES ({redeemed.UserId}, {distributorId}, {redeemed.SerialId}, {redeemed.RedeemedAt})
                 ON CONFLICT DO NOTHING
                 """, cancellationToken);
            if (inserted == 0)
                return;
            db.AddIntegrationEvent(new RenterAttributed(redeemed.UserId, distributorId, redeemed.SerialId, redeemed.RedeemedAt), clock);
            logger.LogInformation("Renter {RenterId} attributed to distributor {DistributorId} by serial {SerialId}", redeemed.UserId, distributorId, redeemed.SerialId);
        });
    }
}

/// <summary>
/// A paid rental order (new or renewal) of an attributed renter earns the distributor their tier's rate then, once
/// per order: under the distributor's lock the order's row is looked up before it is added, and a unique index on the
/// order backs that up.
/// </summary>
public sealed class EarnCommissionConsumer(DistributionContext db, CommissionAccount account, ILogger<EarnCommissionConsumer> logger) : IConsumer<OrderPaid>
{
    public Task Consume(ConsumeContext<OrderPaid> context)
    {
        var paid = context.Message;
        return db.ConsumeOnceAsync(context, nameof(EarnCommissionConsumer), async cancellationToken =>
        {
            if (!OrderTypes.Rental.Contains(paid.OrderType))
                return; // serial purchases are the distributor's own buying
            var attribution = await db.Attributions.AsNoTracking().SingleOrDefaultAsync(a => a.RenterId == paid.UserId, cancellationToken);
            if (attribution is null)
                return;
            await account.LockAsync(attribution.DistributorId, cancellationToken);
            if (await db.Commissions.AnyAsync(c => c.OrderId == paid.OrderId && c.Kind == CommissionKinds.Order, cancellationToken))
                return;
            if (await db.RefundedOrders.AnyAsync(r => r.OrderId == paid.OrderId, cancellationToken))
            {
                logger.LogInformation("Order {OrderId} was refunded before its payment arrived here: it earns nothing", paid.OrderId);
                return;
            }
            var distributor = await db.Distributors.AsNoTracking().SingleOrDefaultAsync(d => d.UserId == attribution.DistributorId, cancellationToken);
            var tier = distributor is null ? null : await db.Tiers.AsNoTracking().SingleOrDefaultAsync(t => t.Code == distributor.TierCode, cancellationToken);
            if (distributor is null || tier is null)
            {
                logger.LogWarning("Order {OrderId} of renter {RenterId} earns nothing: distributor {DistributorId} or its tier is unknown",
                    paid.OrderId, paid.UserId, attribution.DistributorId);
                return;
            }
            var commission = new Commission
            {
                Id = Guid.CreateVersion7(),
                DistributorId = distributor.UserId,
                RenterId = paid.UserId,
                OrderId = paid.OrderId,
                Kind = CommissionKinds.Order,
                Status = CommissionStatuses.Pending,
                BaseCents = paid.AmountCents,
                RateBasisPoints = tier.RateBasisPoints,
                TierCode = tier.Code,
                AmountCents = CommissionMath.Amount(paid.AmountCents, tier.RateBasisPoints),
                Currency = paid.Currency,
                EarnedAt = paid.PaidAt,
                AvailableAt = paid.PaidAt.AddDays(tier.HoldingDays),
            };
            db.Commissions.Add(commission);
            db.CountCommission(CommissionStatuses.Pending, commission.AmountCents);
            logger.LogInformation("Order {OrderId} earned distributor {DistributorId} {AmountCents} ({Rate} bp of {BaseCents})",
                paid.OrderId, distributor.UserId, commission.AmountCents, tier.RateBasisPoints, paid.AmountCents);
        });
    }
}

/// <summary>A refunded order's commission is reversed (and clawed back if already drawn), once per order.</summary>
public sealed class ReverseCommissionConsumer(DistributionContext db, CommissionAccount account, ILogger<ReverseCommissionConsumer> logger) : IConsumer<OrderRefunded>
{
    public Task Consume(ConsumeContext<OrderRefunded> context) =>
        db.ConsumeOnceAsync(context, nameof(ReverseCommissionConsumer), async cancellationToken =>
        {
            var refunded = context.Message;
            // Under the renter's distributor's lock, like the earning: a payment being earned at this moment either
            // committed its commission (reversed below) or will see the refund and earn nothing.
            var attributedTo = await db.Attributions.Where(a => a.RenterId == refunded.UserId).Select(a => (Guid?)a.DistributorId)
                .SingleOrDefaultAsync(cancellationToken);
            if (attributedTo is { } attributed)
                await account.LockAsync(attributed, cancellationToken);
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO refunded_orders (order_id, refunded_at) VALUES ({refunded.OrderId}, {refunded.RefundedAt}) ON CONFLICT DO NOTHING",
                cancellationToken);
            var distributorId = await db.Commissions.Where(c => c.OrderId == refunded.OrderId && c.Kind == CommissionKinds.Order)
                .Select(c => (Guid?)c.DistributorId).SingleOrDefaultAsync(cancellationToken);
            if (distributorId is null)
                return;
            if (distributorId != attributedTo)
                await account.LockAsync(distributorId.Value, cancellationToken);
            if (await account.ReverseOrderAsync(refunded.OrderId, cancellationToken))
                logger.LogInformation("Commission of refunded order {OrderId} reversed for distributor {DistributorId}", refunded.OrderId, distributorId);
        });
}
