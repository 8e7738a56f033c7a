using Derp.Contracts.Users;
using Derp.Serials.Api.Infrastructure;
using Derp.Serials.Api.Model;
using Derp.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Derp.Serials.Api.IntegrationEvents;

// The role projection: each event runs once (inbox) and the later decision wins whatever order events arrive in.

public sealed class UserRegisteredConsumer(SerialsContext db) : IConsumer<UserRegistered>
{
    public Task Consume(ConsumeContext<UserRegistered> context) =>
        db.ConsumeOnceAsync(context, nameof(UserRegisteredConsumer), cancellationToken =>
            UserRoles.ApplyAsync(db, context.Message.UserId, context.Message.Role, context.Message.RegisteredAt, cancellationToken));
}

public sealed class UserRoleChangedConsumer(SerialsContext db) : IConsumer<UserRoleChanged>
{
    public Task Consume(ConsumeContext<UserRoleChanged> context) =>
        db.ConsumeOnceAsync(context, nameof(UserRoleChangedConsumer), cancellationToken =>
            UserRoles.ApplyAsync(db, context.Message.UserId, context.Message.Role, context.Message.ChangedAt, cancellationToken));
}

public static class UserRoles
{
    public static async Task ApplyAsync(SerialsContext db, Guid userId, string role, DateTimeOffset changedAt, CancellationToken cancellationToken)
    {
        var known = await db.UserRoles.FromSql($"SELECT * FROM user_roles WHERE user_id = {userId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (known is null)
            db.UserRoles.Add(new UserRole { UserId = userId, Role = role, ChangedAt = changedAt });
        else if (changedAt >= known.ChangedAt)
        {
            known.Role = role;
            known.ChangedAt = changedAt;
        }
    }
}
