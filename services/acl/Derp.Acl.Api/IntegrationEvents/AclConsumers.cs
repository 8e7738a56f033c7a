using Derp.Acl.Api.Infrastructure;
using Derp.Acl.Api.Model;
using Derp.Acl.Api.Services;
using Derp.Contracts.Acl;
using Derp.Contracts.Servers;
using Derp.Contracts.Users;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Rentals;
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
            // The renter's address (carried from the redemption that started the rental) is logged and located.
            var requester = provisioned.ClientIp is { } ip ? new GenerationRequester(null, ip) : GenerationRequester.System;
            await generator.GenerateAsync(renter, provisioned.Nodes, trigger, requester, cancellationToken);
        });
}

// Rental events follow the one rule every projection of a rental shares (RentalProjection): the later expiry wins,
// a stale one is ignored, an extension that overtakes its activation is applied, a new period clears the quota.

public sealed class RentalActivatedConsumer(AclContext db, PolicyGenerator generator) : IConsumer<RentalActivated>
{
    public Task Consume(ConsumeContext<RentalActivated> context) =>
        db.ConsumeOnceAsync(context, nameof(RentalActivatedConsumer), async cancellationToken =>
            RentalProjection.Apply(await generator.LockRenterAsync(context.Message.UserId, cancellationToken), context.Message));
}

public sealed class RentalExtendedConsumer(AclContext db, PolicyGenerator generator) : IConsumer<RentalExtended>
{
    public Task Consume(ConsumeContext<RentalExtended> context) =>
        db.ConsumeOnceAsync(context, nameof(RentalExtendedConsumer), async cancellationToken =>
            RentalProjection.Apply(await generator.LockRenterAsync(context.Message.UserId, cancellationToken), context.Message));
}

public sealed class RentalExpiredConsumer(AclContext db, PolicyGenerator generator) : IConsumer<RentalExpired>
{
    public Task Consume(ConsumeContext<RentalExpired> context) =>
        db.ConsumeOnceAsync(context, nameof(RentalExpiredConsumer), async cancellationToken =>
            RentalProjection.Apply(await generator.LockRenterAsync(context.Message.UserId, cancellationToken), context.Message));
}

public sealed class TrafficQuotaExceededConsumer(AclContext db, PolicyGenerator generator) : IConsumer<TrafficQuotaExceeded>
{
    public Task Consume(ConsumeContext<TrafficQuotaExceeded> context) =>
        db.ConsumeOnceAsync(context, nameof(TrafficQuotaExceededConsumer), async cancellationToken =>
            RentalProjection.ExceedQuota(await generator.LockRenterAsync(context.Message.UserId, cancellationToken)));
}

/// <summary>Requirements §1.5: closing an account destroys its policies; the generation and download logs stay as history.</summary>
public sealed class UserDeregisteredConsumer(AclContext db, PolicyGenerator generator) : IConsumer<UserDeregistered>
{
    public Task Consume(ConsumeContext<UserDeregistered> context) =>
        db.ConsumeOnceAsync(context, nameof(UserDeregisteredConsumer), async cancellationToken =>
        {
            var userId = context.Message.UserId;
            RentalProjection.Apply(await generator.LockRenterAsync(userId, cancellationToken), context.Message);
            await db.Devices.Where(d => d.UserId == userId).ExecuteDeleteAsync(cancellationToken);
            await db.PolicyVersions.Where(v => v.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        });
}

// Admission trusts this projection, so a stale event must never let a removed device in again: each message is
// handled once (inbox), and a removal leaves a tombstone that a registration arriving after it cannot pass.

public sealed class DeviceRegisteredConsumer(AclContext db) : IConsumer<DeviceRegistered>
{
    public Task Consume(ConsumeContext<DeviceRegistered> context) =>
        db.ConsumeOnceAsync(context, nameof(DeviceRegisteredConsumer), cancellationToken =>
        {
            var device = context.Message;
            // The users service keeps node keys unique; a key that moved to another device or renter follows the
            // latest registration, unless that registration's device was already removed.
            return db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                INSERT INTO renter_devices (node_key, device_id, user_id)
                SELECT {device.NodeKey}, {device.DeviceId}, {device.UserId}
                WHERE NOT EXISTS (SELECT 1 FROM removed_devices WHERE device_id = {device.DeviceId})
                ON CONFLICT (node_key) DO UPDATE SET device_id = excluded.device_id, user_id = excluded.user_id
                """, cancellationToken);
        });
}

public sealed class DeviceRemovedConsumer(AclContext db, TimeProvider clock) : IConsumer<DeviceRemoved>
{
    public Task Consume(ConsumeContext<DeviceRemoved> context) =>
        db.ConsumeOnceAsync(context, nameof(DeviceRemovedConsumer), async cancellationToken =>
        {
            var removed = context.Message;
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"INSERT INTO removed_devices (device_id, removed_at) VALUES ({removed.DeviceId}, {clock.GetUtcNow()}) ON CONFLICT DO NOTHING",
                cancellationToken);
            await db.Devices.Where(d => d.DeviceId == removed.DeviceId).ExecuteDeleteAsync(cancellationToken);
        });
}

/// <summary>
/// distribution attributed a renter to the distributor whose serial they redeemed: that distributor now sees this
/// renter's generation and download logs. The first attribution stays, here as there; the renter's row may not exist
/// yet (attribution can overtake the rental events), so it is made under the same lock as every other change.
/// </summary>
public sealed class RenterAttributedConsumer(AclContext db, PolicyGenerator generator) : IConsumer<Derp.Contracts.Distribution.RenterAttributed>
{
    public Task Consume(ConsumeContext<Derp.Contracts.Distribution.RenterAttributed> context) =>
        db.ConsumeOnceAsync(context, nameof(RenterAttributedConsumer), async cancellationToken =>
        {
            var renter = await generator.LockRenterAsync(context.Message.RenterId, cancellationToken);
            renter.DistributorId ??= context.Message.DistributorId;
        });
}
