using Derp.ServiceDefaults.Auth;
using Derp.Users.Api.Infrastructure;
using Derp.Users.Api.Model;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Derp.Users.Api.Services;

/// <summary>Creates the first superadmin from configuration when no account has that email yet.</summary>
public sealed class AdminSeeder(IServiceScopeFactory scopes, IOptions<AdminSeedOptions> options, TimeProvider clock, ILogger<AdminSeeder> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var admin = options.Value;
        if (string.IsNullOrWhiteSpace(admin.Email) || string.IsNullOrEmpty(admin.Password))
            return;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersContext>();
        var email = User.Normalize(admin.Email);
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == email, cancellationToken))
            return;

        var user = new User
        {
            Id = Guid.CreateVersion7(),
            Email = admin.Email.Trim(),
            NormalizedEmail = email,
            Username = admin.Username,
            NormalizedUsername = User.Normalize(admin.Username),
            PasswordHash = "",
            Role = Roles.SuperAdmin,
            EmailVerified = true,
            CreatedAt = clock.GetUtcNow(),
            EmailVerifiedAt = clock.GetUtcNow(),
        };
        user.PasswordHash = new PasswordHasher<User>().HashPassword(user, admin.Password);
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Created the first superadmin {Email}", user.Email);
        }
        catch (DbUpdateException)
        {
            // Another replica seeded it at the same moment.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
