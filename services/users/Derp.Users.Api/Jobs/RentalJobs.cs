using Derp.Contracts.Users;
using Derp.Users.Api.Infrastructure;
using Derp.Users.Api.Model;
using Derp.Users.Api.Services;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Derp.Users.Api.Jobs;

// Each job is safe to run twice and on several replicas: rows are claimed with SKIP LOCKED or unique keys.

[DisallowConcurrentExecution]
public sealed class RentalExpiryJob(RentalLifecycle rentals, ILogger<RentalExpiryJob> logger) : IJob
{
    public static readonly JobKey Key = new("rental-expiry");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var expired = await rentals.ExpireDueAsync(cancellationToken);
        if (expired > 0)
            logger.LogInformation("Expired {Count} rentals", expired);
    }
}

[DisallowConcurrentExecution]
public sealed class RentalReminderJob(RentalLifecycle rentals, ILogger<RentalReminderJob> logger) : IJob
{
    public static readonly JobKey Key = new("rental-reminders");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var sent = await rentals.SendRemindersAsync(cancellationToken);
        if (sent > 0)
            logger.LogInformation("Queued {Count} renewal reminders", sent);
    }
}

/// <summary>
/// Requirements §2.6: 30 days after expiry without renewal, a settled account is closed. An account finance does not
/// call settled (or when finance cannot be asked) is kept and tried again next hour; the admins see it in the audit
/// log (<c>deregistration_blocked</c>, at most once a day per account) and settle it in finance.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DeregistrationJob(UsersContext db, RentalLifecycle rentals, IAccountSettlement settlement, TimeProvider clock,
    ILogger<DeregistrationJob> logger) : IJob
{
    public static readonly JobKey Key = new("deregistration");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await DeregisterLapsedAsync(cancellationToken);

    public async Task<int> DeregisterLapsedAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - RentalLifecycle.DeregistrationGrace;
        var lapsed = await db.Rentals.AsNoTracking()
            .Where(r => r.Status == RentalStatuses.Expired && r.ExpiredAt <= cutoff)
            .Join(db.Users.Where(u => u.Status == UserStatuses.Active), r => r.UserId, u => u.Id, (r, u) => u.Id)
            .ToListAsync(cancellationToken);
        var closed = 0;
        foreach (var userId in lapsed)
        {
            var check = await settlement.CheckAsync(userId, cancellationToken);
            if (!check.Settled)
            {
                logger.LogWarning("User {UserId} lapsed over 30 days ago but is not settled ({Detail}); kept", userId, check.Detail);
                await RecordBlockedAsync(userId, check, cancellationToken);
                continue;
            }
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // Re-check under a lock: a renewal may have landed since the list was read.
            var user = await db.Users.FromSqlInterpolated($"SELECT * FROM users WHERE id = {userId} FOR UPDATE").SingleAsync(cancellationToken);
            var stillLapsed = await db.Rentals.AnyAsync(r => r.UserId == userId && r.Status == RentalStatuses.Expired && r.ExpiredAt <= cutoff, cancellationToken);
            if (user.Status == UserStatuses.Active && stillLapsed)
            {
                await rentals.DeregisterAsync(user, "not renewed within 30 days of expiry", actorId: null, http: null, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                closed++;
            }
            await transaction.CommitAsync(cancellationToken);
        }
        if (closed > 0)
            logger.LogInformation("Deregistered {Count} lapsed accounts", closed);
        return closed;
    }

    /// <summary>One audit row a day per blocked account is an alert; one an hour would bury everything else.</summary>
    private async Task RecordBlockedAsync(Guid userId, SettlementCheck check, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var since = now - BlockedAuditInterval;
        if (await db.AuditEntries.AnyAsync(a => a.UserId == userId && a.Action == AuditActions.DeregistrationBlocked && a.CreatedAt > since, cancellationToken))
            return;
        var detail = $"not settled in finance: {check.Detail}";
        db.Audit(null, clock, AuditActions.DeregistrationBlocked, userId, detail: detail.Length <= 1000 ? detail : detail[..1000]);
        await db.SaveChangesAsync(cancellationToken);
    }

    public static readonly TimeSpan BlockedAuditInterval = TimeSpan.FromDays(1);
}
