using Derp.Contracts.Acl;
using Derp.Contracts.Finance;
using Derp.Contracts.Serials;
using Derp.Contracts.Servers;
using Derp.Contracts.Users;
using Derp.ServiceDefaults.Messaging;
using Derp.Users.Api.Infrastructure;
using Derp.Users.Api.Model;
using Derp.Users.Api.Services;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Derp.Users.Api.IntegrationEvents;

public sealed class SerialRedeemedConsumer(UsersContext db, RentalLifecycle rentals, ILogger<SerialRedeemedConsumer> logger)
    : IConsumer<SerialRedeemed>
{
    public Task Consume(ConsumeContext<SerialRedeemed> context)
    {
        var redeemed = context.Message;
        if (redeemed.Kind != SerialKinds.Rental)
            return Task.CompletedTask; // balance and donation serials are finance's
        return db.ConsumeOnceAsync(context, nameof(SerialRedeemedConsumer), async cancellationToken =>
        {
            // The same serial can only ever add one period, whatever message carries it.
            if (await db.RentalPeriods.AnyAsync(p => p.SerialId == redeemed.SerialId, cancellationToken))
                return;
            var user = await db.Users.SingleAsync(u => u.Id == redeemed.UserId, cancellationToken);
            if (user.Status != UserStatuses.Active)
            {
                logger.LogWarning("Serial {SerialId} redeemed by deregistered user {UserId}; no rental", redeemed.SerialId, user.Id);
                return;
            }
            var length = Rental.PeriodLength(redeemed.DurationDays, redeemed.DurationHours);
            if (length <= TimeSpan.Zero)
                throw new InvalidOperationException($"Rental serial {redeemed.SerialId} carries no duration.");
            await rentals.AddPeriodAsync(user, new NewPeriod(RentalSources.Serial, redeemed.SerialId, redeemed.PlanId, redeemed.TrafficQuotaGb, null, redeemed.ClientIp),
                start => start + length, cancellationToken);
        });
    }
}

/// <summary>
/// A paid plan order (finance) starts or extends the rental exactly as a redeemed rental serial does; the rental event
/// it publishes carries the order id, which makes the order fulfilled in finance.
/// </summary>
public sealed class OrderPaidConsumer(UsersContext db, RentalLifecycle rentals, ILogger<OrderPaidConsumer> logger) : IConsumer<OrderPaid>
{
    public Task Consume(ConsumeContext<OrderPaid> context)
    {
        var paid = context.Message;
        if (!OrderTypes.Rental.Contains(paid.OrderType))
        {
            // A distributor's serial purchase buys serials, not rental time: serials issues them, no period here.
            logger.LogInformation("Order {OrderId} of type {OrderType} buys no rental time; ignored", paid.OrderId, paid.OrderType);
            return Task.CompletedTask;
        }
        return db.ConsumeOnceAsync(context, nameof(OrderPaidConsumer), async cancellationToken =>
        {
            // The same order can only ever add one period, whatever message carries it (and the unique order id on the
            // period is the last word when two such messages race).
            if (await db.RentalPeriods.AnyAsync(p => p.OrderId == paid.OrderId, cancellationToken))
                return;
            var user = await db.Users.SingleAsync(u => u.Id == paid.UserId, cancellationToken);
            if (user.Status != UserStatuses.Active)
            {
                // Finance sees no fulfilment and keeps the order paid: the money is settled there, not here.
                logger.LogWarning("Order {OrderId} paid for deregistered user {UserId}; no rental", paid.OrderId, user.Id);
                return;
            }
            var length = Rental.PeriodLength(paid.DurationDays, null);
            if (length <= TimeSpan.Zero)
                throw new InvalidOperationException($"Order {paid.OrderId} carries no duration.");
            // Finance's 0 GB is unlimited, which a period says with no quota.
            var quota = paid.TrafficQuotaGb > 0 ? paid.TrafficQuotaGb : (int?)null;
            await rentals.AddPeriodAsync(user, new NewPeriod(RentalSources.Order, null, paid.PlanId, quota, null, paid.ClientIp, paid.OrderId),
                start => start + length, cancellationToken);
        });
    }
}

/// <summary>A newer relay set replaces the known one; an older one delivered late changes nothing.</summary>
public sealed class ContainersProvisionedConsumer(UsersContext db) : IConsumer<ContainersProvisioned>
{
    public Task Consume(ConsumeContext<ContainersProvisioned> context)
    {
        var provisioned = context.Message;
        return db.Rentals.Where(r => r.UserId == provisioned.UserId && (r.RelaysProvisionedAt == null || r.RelaysProvisionedAt < provisioned.ProvisionedAt))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.RelaysProvisionedAt, provisioned.ProvisionedAt), context.CancellationToken);
    }
}

public sealed class AclGeneratedConsumer(UsersContext db, TimeProvider clock) : IConsumer<AclGenerated>
{
    public Task Consume(ConsumeContext<AclGenerated> context) =>
        db.ConsumeOnceAsync(context, nameof(AclGeneratedConsumer), async cancellationToken =>
        {
            var generated = context.Message;
            var rental = await db.Rentals.SingleOrDefaultAsync(r => r.UserId == generated.UserId, cancellationToken);
            var user = await db.Users.SingleOrDefaultAsync(u => u.Id == generated.UserId, cancellationToken);
            if (rental is null || user is null || user.Status != UserStatuses.Active)
                return;
            if (generated.Version >= (rental.PolicyVersion ?? 0))
            {
                rental.PolicyVersion = generated.Version;
                rental.PolicyGeneratedAt = generated.GeneratedAt;
            }
            db.QueueEmail(user, RentalEmails.PolicyReady, clock, new Dictionary<string, string>
            {
                ["Version"] = generated.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        });
}

public sealed class ServerRemovedConsumer(UsersContext db, TimeProvider clock) : IConsumer<ServerRemoved>
{
    public Task Consume(ConsumeContext<ServerRemoved> context) =>
        db.ConsumeOnceAsync(context, nameof(ServerRemovedConsumer), async cancellationToken =>
        {
            var ids = context.Message.AffectedUserIds.ToList();
            foreach (var user in await db.Users.Where(u => ids.Contains(u.Id) && u.Status == UserStatuses.Active).ToListAsync(cancellationToken))
                db.QueueEmail(user, RentalEmails.ContainersMoved, clock, new Dictionary<string, string> { ["Server"] = context.Message.Name });
        });
}

public sealed class RentalTrafficUpdatedConsumer(UsersContext db) : IConsumer<RentalTrafficUpdated>
{
    public Task Consume(ConsumeContext<RentalTrafficUpdated> context) =>
        db.Rentals.Where(r => r.Id == context.Message.RentalId && r.UserId == context.Message.UserId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.TrafficUsedBytes, context.Message.UsedBytes), context.CancellationToken);
}

public sealed class TrafficQuotaExceededConsumer(UsersContext db, TimeProvider clock) : IConsumer<TrafficQuotaExceeded>
{
    public Task Consume(ConsumeContext<TrafficQuotaExceeded> context) =>
        db.ConsumeOnceAsync(context, nameof(TrafficQuotaExceededConsumer), async cancellationToken =>
        {
            var exceeded = context.Message;
            var rental = await db.Rentals.SingleOrDefaultAsync(r => r.Id == exceeded.RentalId && r.UserId == exceeded.UserId, cancellationToken);
            var user = await db.Users.SingleOrDefaultAsync(u => u.Id == exceeded.UserId, cancellationToken);
            if (rental is null || user is null)
                return;
            rental.OverQuota = true;
            rental.TrafficUsedBytes = exceeded.UsedBytes;
            db.QueueEmail(user, RentalEmails.QuotaExceeded, clock, new Dictionary<string, string>
            {
                ["Used"] = Notifications.Bytes(exceeded.UsedBytes),
                ["Quota"] = Notifications.Bytes(exceeded.QuotaBytes),
            });
        });
}

/// <summary>A starting service instance (any service) asks for the revocations its access-token check must know (ADR-006).</summary>
public sealed class RecentSessionRevocationsRequestedConsumer(UsersContext db) : IConsumer<RecentSessionRevocationsRequested>
{
    public async Task Consume(ConsumeContext<RecentSessionRevocationsRequested> context)
    {
        var revocations = await db.RecentRevocationsAsync(context.Message.Since, context.CancellationToken);
        await context.RespondAsync(new RecentSessionRevocations(revocations));
    }
}
