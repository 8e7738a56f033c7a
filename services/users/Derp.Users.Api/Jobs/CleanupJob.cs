using Derp.Users.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Derp.Users.Api.Jobs;

/// <summary>Daily: drops refresh tokens, verification codes and session revocations long past use (outbox and inbox rows: <c>MessagingCleanup</c>).</summary>
[DisallowConcurrentExecution]
public sealed class CleanupJob(UsersContext db, TimeProvider clock, ILogger<CleanupJob> logger) : IJob
{
    public static readonly JobKey Key = new("users-cleanup");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var tokens = await db.RefreshTokens.Where(t => t.ExpiresAt < now.AddDays(-7)).ExecuteDeleteAsync(cancellationToken);
        var codes = await db.EmailVerifications.Where(v => v.ExpiresAt < now.AddDays(-7)).ExecuteDeleteAsync(cancellationToken);
        // A revocation matters for an access token's lifetime; a week keeps the history for whoever investigates.
        var revocations = await db.SessionRevocations.Where(r => r.RevokedAt < TimeProvider.System.GetUtcNow().AddDays(-7)).ExecuteDeleteAsync(cancellationToken);
        logger.LogInformation("Cleanup removed {Tokens} refresh tokens, {Codes} codes, {Revocations} session revocations",
            tokens, codes, revocations);
    }
}
