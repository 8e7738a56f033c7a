using Derp.Contracts.Finance;
using Derp.Contracts.Users;
using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.Model;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Rentals;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Derp.Finance.Api.IntegrationEvents;

// The renter projection (new vs renewal orders, plan capacity) and order fulfilment, from users' events.

public sealed class UserRegisteredConsumer(FinanceContext db, TimeProvider clock) : IConsumer<UserRegistered>
{
    public Task Consume(ConsumeContext<UserRegistered> context) =>
        db.ConsumeOnceAsync(context, nameof(UserRegisteredConsumer), async cancellationToken =>
            (await db.LockRenterAsync(context.Message.UserId, clock, cancellationToken)).Email = context.Message.Email);
}

public sealed class RentalActivatedConsumer(FinanceContext db, TimeProvider clock) : IConsumer<RentalActivated>
{
    public Task Consume(ConsumeContext<RentalActivated> context) =>
        db.ConsumeOnceAsync(context, nameof(RentalActivatedConsumer), async cancellationToken =>
        {
            var activated = context.Message;
            var renter = await db.LockRenterAsync(activated.UserId, clock, cancellationToken);
            if (RentalProjection.Apply(renter, activated) != RentalChange.Ignored && activated.PlanId is { } planId)
                renter.PlanId = planId;
            await db.FulfilAsync(activated.OrderId, activated.UserId, clock, cancellationToken);
        });
}

public sealed class RentalExtendedConsumer(FinanceContext db, TimeProvider clock) : IConsumer<RentalExtended>
{
    public Task Consume(ConsumeContext<RentalExtended> context) =>
        db.ConsumeOnceAsync(context, nameof(RentalExtendedConsumer), async cancellationToken =>
        {
            var extended = context.Message;
            RentalProjection.Apply(await db.LockRenterAsync(extended.UserId, clock, cancellationToken), extended);
            await db.FulfilAsync(extended.OrderId, extended.UserId, clock, cancellationToken);
        });
}

public sealed class RentalExpiredConsumer(FinanceContext db, TimeProvider clock) : IConsumer<RentalExpired>
{
    public Task Consume(ConsumeContext<RentalExpired> context) =>
        db.ConsumeOnceAsync(context, nameof(RentalExpiredConsumer), async cancellationToken =>
            RentalProjection.Apply(await db.LockRenterAsync(context.Message.UserId, clock, cancellationToken), context.Message));
}

public sealed class UserDeregisteredConsumer(FinanceContext db, TimeProvider clock) : IConsumer<UserDeregistered>
{
    public Task Consume(ConsumeContext<UserDeregistered> context) =>
        db.ConsumeOnceAsync(context, nameof(UserDeregisteredConsumer), async cancellationToken =>
            RentalProjection.Apply(await db.LockRenterAsync(context.Message.UserId, clock, cancellationToken), context.Message));
}

public static class RenterProjection
{
    /// <summary>The renter's row, made on first sight and locked until the transaction ends (events of one renter apply one at a time).</summary>
    public static async Task<Renter> LockRenterAsync(this FinanceContext db, Guid userId, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO renters (user_id, rental_active, over_quota, deregistered, updated_at) VALUES ({userId}, false, false, false, {now}) ON CONFLICT DO NOTHING",
            cancellationToken);
        var renter = await db.Renters.FromSql($"SELECT * FROM renters WHERE user_id = {userId} FOR UPDATE").SingleAsync(cancellationToken);
        renter.UpdatedAt = now;
        return renter;
    }

    /// <summary>The rental event a paid order caused came back: the order is fulfilled (once; a refunded order stays refunded).</summary>
    public static async Task FulfilAsync(this FinanceContext db, Guid? orderId, Guid userId, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (orderId is not { } id)
            return;
        var now = clock.GetUtcNow();
        await db.Orders.Where(o => o.Id == id && o.UserId == userId && o.Status == OrderStatuses.Paid)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatuses.Fulfilled).SetProperty(o => o.FulfilledAt, now), cancellationToken);
    }
}
