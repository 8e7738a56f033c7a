using Derp.Contracts.Distribution;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Messaging;
using Derp.Users.Api.Infrastructure;
using Derp.Users.Api.Model;
using Derp.Users.Api.Services;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Derp.Users.Api.IntegrationEvents;

// distribution decides who sells serials; the role follows here through the same role change a superadmin makes
// (sessions end, audit, UserRoleChanged). Admins' roles are never touched by distribution's events. Decisions apply in
// the order distribution made them, not the order they arrive in (User.DistributorDecidedAt, under the row's lock).

internal static class DistributorDecisions
{
    /// <summary>The account, locked, when this decision is newer than the last one applied (and it is recorded); else null.</summary>
    public static async Task<User?> NewerDecisionAsync(this UsersContext db, Guid userId, DateTimeOffset decidedAt, ILogger logger,
        CancellationToken cancellationToken)
    {
        var user = await db.Users.FromSql($"SELECT * FROM users WHERE id = {userId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            logger.LogWarning("Distributor decision for {UserId} but no such account; no role change", userId);
            return null;
        }
        if (user.DistributorDecidedAt >= decidedAt)
        {
            logger.LogInformation("Distributor decision of {DecidedAt:o} for {UserId} is older than the one applied; ignored", decidedAt, userId);
            return null;
        }
        user.DistributorDecidedAt = decidedAt;
        return user;
    }
}

public sealed class DistributorApprovedConsumer(UsersContext db, TimeProvider clock, ILogger<DistributorApprovedConsumer> logger)
    : IConsumer<DistributorApproved>
{
    public Task Consume(ConsumeContext<DistributorApproved> context) =>
        db.ConsumeOnceAsync(context, nameof(DistributorApprovedConsumer), async cancellationToken =>
        {
            var approved = context.Message;
            var user = await db.NewerDecisionAsync(approved.UserId, approved.ApprovedAt, logger, cancellationToken);
            if (user is null)
                return;
            if (user.Role == Roles.Renter)
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
            var user = await db.NewerDecisionAsync(suspended.UserId, suspended.SuspendedAt, logger, cancellationToken);
            if (user is not null && user.Role == Roles.Distributor)
                await db.ChangeRoleAsync(user, Roles.Renter, suspended.SuspendedBy, http: null, clock, cancellationToken);
        });
}
