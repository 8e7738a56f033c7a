using Derp.Contracts.Servers;
using Derp.Contracts.Users;
using Derp.Servers.Api.Infrastructure;
using Derp.Servers.Api.Model;
using Derp.Servers.Api.Services;
using Derp.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Derp.Servers.Api.IntegrationEvents;

// The projection changes once per message (inbox); the work on hosts that follows is a reconciliation, safe to
// repeat, so a retry after a host error or a redelivery finishes the job without doing anything twice.

public sealed class RentalActivatedConsumer(ServersContext db, Provisioner provisioner) : IConsumer<RentalActivated>
{
    public async Task Consume(ConsumeContext<RentalActivated> context)
    {
        var activated = context.Message;
        await db.ConsumeOnceAsync(context, nameof(RentalActivatedConsumer), async cancellationToken =>
        {
            var renter = await db.Renters.SingleOrDefaultAsync(r => r.UserId == activated.UserId, cancellationToken);
            if (renter is null)
            {
                renter = new Renter { UserId = activated.UserId };
                db.Renters.Add(renter);
            }
            renter.RentalId = activated.RentalId;
            renter.Active = true;
            renter.ExpiresAt = activated.ExpiresAt;
            renter.QuotaBytes = QuotaBytes(activated.TrafficQuotaGb);
            renter.PeriodStartedAt = activated.StartsAt;
            renter.PeriodBytes = 0;
            renter.OverQuota = false;
        });
        await provisioner.EnsureProvisionedAsync(activated.UserId, ProvisioningReasons.Rental, context.CancellationToken);
    }

    internal static long? QuotaBytes(int? gigabytes) => gigabytes is { } gb ? gb * Server.BytesPerGb : null;
}

public sealed class RentalExtendedConsumer(ServersContext db, Provisioner provisioner, TimeProvider clock) : IConsumer<RentalExtended>
{
    public async Task Consume(ConsumeContext<RentalExtended> context)
    {
        var extended = context.Message;
        await db.ConsumeOnceAsync(context, nameof(RentalExtendedConsumer), async cancellationToken =>
        {
            var renter = await db.Renters.SingleOrDefaultAsync(r => r.UserId == extended.UserId, cancellationToken);
            if (renter is null)
                return;
            renter.ExpiresAt = extended.ExpiresAt;
            renter.QuotaBytes = RentalActivatedConsumer.QuotaBytes(extended.TrafficQuotaGb) ?? renter.QuotaBytes;
            if (extended.WasExpired)
            {
                // Seed 002 §4: renewing after expiry starts the same relays again, with a fresh traffic count.
                renter.Active = true;
                renter.PeriodStartedAt = clock.GetUtcNow();
                renter.PeriodBytes = 0;
                renter.OverQuota = false;
            }
        });
        if (!extended.WasExpired)
            return;
        await provisioner.ForEachLiveAsync(extended.UserId, c => c.State == ContainerStates.Stopped
            ? provisioner.StartAsync(c, context.CancellationToken) : Task.CompletedTask, context.CancellationToken);
        await provisioner.EnsureProvisionedAsync(extended.UserId, ProvisioningReasons.Rental, context.CancellationToken);
    }
}

public sealed class RentalExpiredConsumer(ServersContext db, Provisioner provisioner) : IConsumer<RentalExpired>
{
    public async Task Consume(ConsumeContext<RentalExpired> context)
    {
        var expired = context.Message;
        await db.ConsumeOnceAsync(context, nameof(RentalExpiredConsumer), async cancellationToken =>
        {
            var renter = await db.Renters.SingleOrDefaultAsync(r => r.UserId == expired.UserId, cancellationToken);
            if (renter is null || renter.ExpiresAt > expired.ExpiredAt)
                return; // an extension overtook this event
            renter.Active = false;
        });
        if (await db.Renters.AnyAsync(r => r.UserId == expired.UserId && !r.Active, context.CancellationToken))
            await StopAllAsync(provisioner, expired.UserId, context.CancellationToken);
    }

    /// <summary>Seed 002 §1: expired renters keep their relays, stopped.</summary>
    internal static Task StopAllAsync(Provisioner provisioner, Guid userId, CancellationToken cancellationToken) =>
        provisioner.ForEachLiveAsync(userId, c => c.State == ContainerStates.Running ? provisioner.StopAsync(c, cancellationToken) : Task.CompletedTask,
            cancellationToken);
}

public sealed class UserDeregisteredConsumer(ServersContext db, Provisioner provisioner) : IConsumer<UserDeregistered>
{
    public async Task Consume(ConsumeContext<UserDeregistered> context)
    {
        var userId = context.Message.UserId;
        await db.ConsumeOnceAsync(context, nameof(UserDeregisteredConsumer), async cancellationToken =>
        {
            var renter = await db.Renters.SingleOrDefaultAsync(r => r.UserId == userId, cancellationToken);
            if (renter is null)
                return;
            renter.Active = false;
            renter.Deregistered = true;
        });
        // Seed 002 §1: closing the account destroys the relays (over SSH) and frees their ports.
        await provisioner.ForEachLiveAsync(userId, c => provisioner.RemoveAsync(c, context.CancellationToken), context.CancellationToken);
    }
}
