using Derp.Contracts.Users;
using Derp.Distribution.Api.Infrastructure;
using Derp.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Derp.Distribution.Api.IntegrationEvents;

/// <summary>Keeps users' emails for admins' lists of applications and distributors.</summary>
public sealed class UserRegisteredConsumer(DistributionContext db) : IConsumer<UserRegistered>
{
    public Task Consume(ConsumeContext<UserRegistered> context) =>
        db.ConsumeOnceAsync(context, nameof(UserRegisteredConsumer), async cancellationToken =>
        {
            var registered = context.Message;
            await db.Database.ExecuteSqlAsync(
                $"""
                 INSERT INTO known_users (user_id, email, registered_at) VALUES ({registered.UserId}, {registered.Email}, {registered.RegisteredAt})
                 ON CONFLICT (user_id) DO UPDATE SET email = excluded.email
                 """, cancellationToken);
            await db.Distributors.Where(d => d.UserId == registered.UserId && d.Email == null)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Email, registered.Email), cancellationToken);
        });
}
