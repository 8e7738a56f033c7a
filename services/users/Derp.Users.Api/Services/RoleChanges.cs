using Derp.Contracts.Users;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Messaging;
using Derp.Users.Api.Infrastructure;
using Derp.Users.Api.Model;

namespace Derp.Users.Api.Services;

/// <summary>
/// The one way an account's role changes, whether a superadmin changes it or distribution's decisions do: every session
/// ends (tokens carry the role, so the old role stops working everywhere within seconds), an audit row and
/// <see cref="UserRoleChanged"/> go with the change. Call inside the caller's transaction; the caller saves.
/// </summary>
public static class RoleChanges
{
    public static async Task ChangeRoleAsync(this UsersContext db, User user, string role, Guid actorId, HttpContext? http, TimeProvider clock,
        CancellationToken cancellationToken = default)
    {
        var previous = user.Role;
        user.Role = role;
        await db.EndAllSessionsAsync(user, SessionRevocationReasons.RoleChanged, clock, cancellationToken);
        db.Audit(http, clock, AuditActions.RoleChanged, user.Id, actorId, $"{previous} -> {role}");
        db.AddIntegrationEvent(new UserRoleChanged(user.Id, previous, role, actorId, clock.GetUtcNow()), clock);
    }
}
