using Derp.Contracts.Distribution;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Messaging;
using Derp.Users.Api.Infrastructure;
using Derp.Users.Api.Services;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Derp.Users.Api.IntegrationEvents;

// distribution decides who sells serials; the role follows here through the same role change a superadmin makes
// (sessions end, audit, UserRoleChanged). Admins' roles are never touched by distribution's events.

public sealed class DistributorApprovedConsumer(UsersContext db, TimeProvider clock, ILogger<DistributorApprovedConsumer> logger)
    : IConsumer<DistributorApproved>
{
    public Task Consume(ConsumeContext<DistributorApproved> context) =>
        db.ConsumeOnceAsync(context, nameof(DistributorApprovedConsumer), async cancellationToken =>
        {
            var approved = context.Message;
            var user = await db.Users.SingleOrDefaultAsync(u => u.Id == approved.UserId, cancellationToken);
            if (user is null)
                logger.LogWarning("Distributor {UserId} approved but no such account; no role change", approved.UserId);
            else if (user.Role == Roles.Renter)
                await db.ChangeRoleAsync(user, Roles.Distributor, approved.ApprovedBy, http: null, clock, cancellationToken);
            else if (user.Role != Roles.Distributor)
                logger.LogWarning("Distributor {UserId} approved but the account is {Role}; its role stays", user.Id, user.Role);
        });
}

public sealed class DistributorSuspendedConsumer(UsersContext db, TimeProvider clock, ILogger<DistributorSuspendedConsumer> logger)
    : IConsumer<DistributorSuspended>
{
    public Task Consume(ConsumeContext<DistributorSuspended> context) =>
        db.ConsumeOnceAsync(context, nameof(DistributorSuspendedConsumer), async cancellationToken =>
        {
            var suspended = context.Message;
            var user = await db.Users.SingleOrDefaultAsync(u => u.Id == suspended.UserId, cancellationToken);
            if (user is null)
                logger.LogWarning("Distributor {UserId} suspended but no such account; no role change", suspended.UserId);
            else if (user.Role == Roles.Distributor)
                await db.ChangeRoleAsync(user, Roles.Renter, suspended.SuspendedBy, http: null, clock, cancellationToken);
        });
}
