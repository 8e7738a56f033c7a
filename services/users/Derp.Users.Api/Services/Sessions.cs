using Derp.Contracts.Users;
using Derp.ServiceDefaults.Messaging;
using Derp.Users.Api.Infrastructure;
using Derp.Users.Api.Model;
using Microsoft.EntityFrameworkCore;

namespace Derp.Users.Api.Services;

/// <summary>
/// Ends sessions (ADR-006): the refresh tokens are revoked here, and the access tokens already handed out are refused
/// by every service once <see cref="UserSessionsRevoked"/> reaches it. Each call joins the caller's unit of work.
/// </summary>
public static class Sessions
{
    /// <summary>Every session of the user: refresh tokens revoked, the session version raised, the revocation announced.</summary>
    public static async Task EndAllSessionsAsync(this UsersContext db, User user, string reason, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await db.RefreshTokens.Where(t => t.UserId == user.Id && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
        user.SessionVersion++;
        Announce(db, new UserSessionsRevoked(user.Id, user.SessionVersion, null, reason, TimeProvider.System.GetUtcNow()), clock);
    }

    /// <summary>One session (a refresh-token family): its refresh tokens revoked, its access tokens refused everywhere.</summary>
    public static async Task EndSessionAsync(this UsersContext db, Guid userId, Guid familyId, string reason, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await db.RefreshTokens.Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
        // Version 0 leaves the account's other sessions alone.
        Announce(db, new UserSessionsRevoked(userId, 0, familyId, reason, TimeProvider.System.GetUtcNow()), clock);
    }

    // RevokedAt is wall-clock: it is compared with access-token lifetimes, which are wall-clock (see TokenService).
    private static void Announce(UsersContext db, UserSessionsRevoked revocation, TimeProvider clock)
    {
        db.SessionRevocations.Add(new SessionRevocation
        {
            UserId = revocation.UserId,
            MinimumSessionVersion = revocation.MinimumSessionVersion,
            SessionId = revocation.SessionId,
            Reason = revocation.Reason,
            RevokedAt = revocation.RevokedAt,
        });
        db.AddIntegrationEvent(revocation, clock);
    }
}

/// <summary>The users service knows its revocations first-hand: a starting instance reads them from its database.</summary>
public sealed class SessionRevocationSnapshotFromDatabase(IServiceScopeFactory scopes) : Derp.ServiceDefaults.Auth.ISessionRevocationSnapshot
{
    public async Task<IReadOnlyList<UserSessionsRevoked>> SinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UsersContext>().RecentRevocationsAsync(since, cancellationToken);
    }
}

public static class SessionRevocationQueries
{
    public static async Task<IReadOnlyList<UserSessionsRevoked>> RecentRevocationsAsync(this UsersContext db, DateTimeOffset since, CancellationToken cancellationToken) =>
        await db.SessionRevocations.AsNoTracking().Where(r => r.RevokedAt >= since).OrderBy(r => r.Id)
            .Select(r => new UserSessionsRevoked(r.UserId, r.MinimumSessionVersion, r.SessionId, r.Reason, r.RevokedAt))
            .ToListAsync(cancellationToken);
}
