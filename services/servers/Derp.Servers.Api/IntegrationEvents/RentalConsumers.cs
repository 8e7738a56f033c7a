using Derp.Contracts.Servers;
using Derp.Contracts.Users;
using Derp.Servers.Api.Infrastructure;
using Derp.Servers.Api.Model;
using Derp.Servers.Api.Services;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Rentals;
using MassTransit;

namespace Derp.Servers.Api.IntegrationEvents;

// ADR-008: a consumer only records what the renter's relays should be (the rental projection and a reconcile
// request, in the transaction of its inbox row) and wakes the reconciler; it never talks to a host, so a delivery
// is quick, retried only for database errors, and a host's trouble never reaches RabbitMQ.

public sealed class RentalActivatedConsumer(ServersContext db, ReconcileSignal signal, TimeProvider clock) : IConsumer<RentalActivated>
{
    public async Task Consume(ConsumeContext<RentalActivated> context)
    {
        var activated = context.Message;
        await db.ConsumeOnceAsync(context, nameof(RentalActivatedConsumer), async cancellationToken =>
        {
            var renter = await db.LockRenterAsync(activated.UserId, cancellationToken);
            var change = RentalProjection.Apply(renter, activated);
            if (change != RentalChange.Ignored)
                renter.QuotaBytes = null; // an activation's plan replaces the quota; none is unlimited
            renter.Record(change, activated.TrafficQuotaGb, activated.StartsAt, clock, activated.ClientIp);
        });
        signal.Wake();
    }
}

public sealed class RentalExtendedConsumer(ServersContext db, ReconcileSignal signal, TimeProvider clock) : IConsumer<RentalExtended>
{
    public async Task Consume(ConsumeContext<RentalExtended> context)
    {
        var extended = context.Message;
        await db.ConsumeOnceAsync(context, nameof(RentalExtendedConsumer), async cancellationToken =>
        {
            var renter = await db.LockRenterAsync(extended.UserId, cancellationToken);
            // Renewing after expiry starts the same relays again, with a fresh traffic count (requirements: rentals).
            renter.Record(RentalProjection.Apply(renter, extended), extended.TrafficQuotaGb, clock.GetUtcNow(), clock, extended.ClientIp);
        });
        signal.Wake();
    }
}

/// <summary>Expired renters keep their relays, stopped (requirements: rentals).</summary>
public sealed class RentalExpiredConsumer(ServersContext db, ReconcileSignal signal, TimeProvider clock) : IConsumer<RentalExpired>
{
    public async Task Consume(ConsumeContext<RentalExpired> context)
    {
        var expired = context.Message;
        await db.ConsumeOnceAsync(context, nameof(RentalExpiredConsumer), async cancellationToken =>
        {
            var renter = await db.LockRenterAsync(expired.UserId, cancellationToken);
            renter.Record(RentalProjection.Apply(renter, expired), null, null, clock);
        });
        signal.Wake();
    }
}

/// <summary>Closing the account destroys the relays and frees their ports (requirements: rentals).</summary>
public sealed class UserDeregisteredConsumer(ServersContext db, ReconcileSignal signal, TimeProvider clock) : IConsumer<UserDeregistered>
{
    public async Task Consume(ConsumeContext<UserDeregistered> context)
    {
        var deregistered = context.Message;
        await db.ConsumeOnceAsync(context, nameof(UserDeregisteredConsumer), async cancellationToken =>
        {
            var renter = await db.LockRenterAsync(deregistered.UserId, cancellationToken);
            renter.Record(RentalProjection.Apply(renter, deregistered), null, null, clock);
        });
        signal.Wake();
    }
}

internal static class RenterRecording
{
    /// <summary>
    /// What servers adds to the shared rule: the quota and the traffic count of a new period, and a reconcile request
    /// whenever the rental changed.
    /// </summary>
    public static void Record(this Renter renter, RentalChange change, int? quotaGb, DateTimeOffset? periodStart, TimeProvider clock,
        string? clientIp = null)
    {
        if (change == RentalChange.Ignored)
            return;
        renter.RequestedFromIp = clientIp;
        if (quotaGb is { } gb)
            renter.QuotaBytes = gb * Server.BytesPerGb;
        if (change == RentalChange.NewPeriod)
        {
            renter.PeriodStartedAt = periodStart ?? clock.GetUtcNow();
            renter.PeriodBytes = 0;
        }
        renter.RequestReconcile(ProvisioningReasons.Rental);
    }
}
