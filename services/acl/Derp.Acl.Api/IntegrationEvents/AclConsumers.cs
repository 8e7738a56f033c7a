using Derp.Acl.Api.Infrastructure;
using Derp.Acl.Api.Model;
using Derp.Acl.Api.Services;
using Derp.Contracts.Servers;
using Derp.Contracts.Users;
using Derp.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Derp.Acl.Api.IntegrationEvents;

// Every consumer runs once per message (inbox) and changes the renter under its row lock, so events for one renter
// arriving together on several threads or replicas never lose each other's changes.

/// <summary>New relays for a renter: the next policy version.</summary>
public sealed class ContainersProvisionedConsumer(AclContext db, PolicyGenerator generator, ILogger<ContainersProvisionedConsumer> logger)
    : IConsumer<ContainersProvisioned>
{
    public Task Consume(ConsumeContext<ContainersProvisioned> context) =>
        db.ConsumeOnceAsync(context, nameof(ContainersProvisionedConsumer), async cancellationToken =>
        {
            var provisioned = context.Message;
            var renter = await generator.LockRenterAsync(provisioned.UserId, cancellationToken);
            if (renter.Deregistered)
                return;
            if (provisioned.Nodes.Count == 0)
            {
                logger.LogWarning("Relays provisioned for {UserId} without any node; no policy generated", provisioned.UserId);
                return;
            }
            renter.RentalId ??= provisioned.RentalId;
            var trigger = provisioned.Reason == ProvisioningReasons.HostRemoved ? GenerationTriggers.HostRemoved : GenerationTriggers.Provisioned;
            await generator.GenerateAsync(renter, provisioned.Nodes, trigger, GenerationRequester.System, cancellationToken);
        });
}

public sealed class RentalActivatedConsumer(AclContext db, PolicyGenerator generator) : IConsumer<RentalActivated>
{
    public Task Consume(ConsumeContext<RentalActivated> context) =>
        db.ConsumeOnceAsync(context, nameof(RentalActivatedConsumer), async cancellationToken =>
        {
            var activated = context.Message;
            var renter = await generator.LockRenterAsync(activated.UserId, cancellationToken);
            renter.RentalId = activated.RentalId;
            renter.RentalActive = true;
            renter.OverQuota = false;
            renter.ExpiresAt = Later(renter.ExpiresAt, activated.ExpiresAt);
        });

    internal static DateTimeOffset Later(DateTimeOffset? current, DateTimeOffset candidate) =>
        current is { } known && known > candidate ? known : candidate;
}

public sealed class RentalExtendedConsumer(AclContext db, PolicyGenerator generator) : IConsumer<RentalExtended>
{
    public Task Consume(ConsumeContext<RentalExtended> context) =>
        db.ConsumeOnceAsync(context, nameof(RentalExtendedConsumer), async cancellationToken =>
        {
            var extended = context.Message;
            var renter = await generator.LockRenterAsync(extended.UserId, cancellationToken);
            renter.RentalId = extended.RentalId;
            renter.RentalActive = true;
            renter.ExpiresAt = RentalActivatedConsumer.Later(renter.ExpiresAt, extended.ExpiresAt);
            if (extended.WasExpired)
                renter.OverQuota = false; // a new period after a gap counts traffic from zero
        });
}

public sealed class RentalExpiredConsumer(AclContext db, PolicyGenerator generator) : IConsumer<RentalExpired>
{
    public Task Consume(ConsumeContext<RentalExpired> context) =>
        db.ConsumeOnceAsync(context, nameof(RentalExpiredConsumer), async cancellationToken =>
        {
            var expired = context.Message;
            var renter = await generator.LockRenterAsync(expired.UserId, cancellationToken);
            // An extension that was processed first moved the expiry past this event: it is stale.
            if (renter.ExpiresAt is { } expiresAt && expiresAt > expired.ExpiredAt)
                return;
            renter.RentalActive = false;
        });
}

public sealed class TrafficQuotaExceededConsumer(AclContext db, PolicyGenerator generator) : IConsumer<TrafficQuotaExceeded>
{
    public Task Consume(ConsumeContext<TrafficQuotaExceeded> context) =>
        db.ConsumeOnceAsync(context, nameof(TrafficQuotaExceededConsumer), async cancellationToken =>
        {
            var renter = await generator.LockRenterAsync(context.Message.UserId, cancellationToken);
            renter.OverQuota = true;
        });
}

/// <summary>Seed 002 §1: closing an account destroys its policies; the generation and download logs stay as history.</summary>
public sealed class UserDeregisteredConsumer(AclContext db, PolicyGenerator generator) : IConsumer<UserDeregistered>
{
    public Task Consume(ConsumeContext<UserDeregistered> context) =>
        db.ConsumeOnceAsync(context, nameof(UserDeregisteredConsumer), async cancellationToken =>
        {
            var userId = context.Message.UserId;
            var renter = await generator.LockRenterAsync(userId, cancellationToken);
            renter.Deregistered = true;
            renter.RentalActive = false;
            await db.Devices.Where(d => d.UserId == userId).ExecuteDeleteAsync(cancellationToken);
            await db.PolicyVersions.Where(v => v.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        });
}

public sealed class DeviceRegisteredConsumer(AclContext db) : IConsumer<DeviceRegistered>
{
    public Task Consume(ConsumeContext<DeviceRegistered> context)
    {
        var device = context.Message;
        // The users service keeps node keys unique; a key that moved to another device or renter follows the latest event.
        return db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO renter_devices (node_key, device_id, user_id) VALUES ({device.NodeKey}, {device.DeviceId}, {device.UserId})
            ON CONFLICT (node_key) DO UPDATE SET device_id = excluded.device_id, user_id = excluded.user_id
            """, context.CancellationToken);
    }
}

public sealed class DeviceRemovedConsumer(AclContext db) : IConsumer<DeviceRemoved>
{
    public Task Consume(ConsumeContext<DeviceRemoved> context) =>
        db.Devices.Where(d => d.DeviceId == context.Message.DeviceId).ExecuteDeleteAsync(context.CancellationToken);
}
