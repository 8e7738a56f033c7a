using Derp.Acl.Api.Infrastructure;
using Derp.Acl.Api.Model;
using Derp.Acl.Api.Services;
using Derp.Contracts.Acl;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;

namespace Derp.Acl.Api.Jobs;

/// <summary>
/// Requirements §5.2: a policy lasts 32 days; when an active renter's current version runs out, the next one is made from
/// the same relays (and the renter is emailed by the users service on <c>AclGenerated</c>).
/// </summary>
[DisallowConcurrentExecution]
public sealed class PolicyRotationJob(PolicyRotation rotation, ILogger<PolicyRotationJob> logger) : IJob
{
    public static readonly JobKey Key = new("policy-rotation");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var rotated = await rotation.RotateDueAsync(cancellationToken);
        if (rotated > 0)
            logger.LogInformation("Rotated {Count} policies", rotated);
    }
}

public sealed class PolicyRotation(AclContext db, PolicyGenerator generator, TimeProvider clock, IOptions<AclOptions> options)
{
    public async Task<int> RotateDueAsync(CancellationToken cancellationToken)
    {
        var rotated = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // Claim due renters with SKIP LOCKED: replicas running the job at once share the work instead of repeating it.
            var due = await db.Renters.FromSqlInterpolated($"""
                SELECT r.* FROM renters r
                JOIN policy_versions v ON v.user_id = r.user_id AND v.version = r.current_version
                WHERE r.rental_active AND NOT r.deregistered AND r.expires_at > {now} AND v.valid_until <= {now}
                ORDER BY v.valid_until
                LIMIT {options.Value.RotationBatchSize}
                FOR UPDATE OF r SKIP LOCKED
                """).ToListAsync(cancellationToken);
            if (due.Count == 0)
                break;
            foreach (var renter in due)
            {
                var current = await generator.CurrentAsync(renter.UserId, cancellationToken);
                await generator.GenerateAsync(renter, PolicyGenerator.RelaysOf(current!), GenerationTriggers.Rotation, GenerationRequester.System, cancellationToken);
            }
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            rotated += due.Count;
        }
        return rotated;
    }
}
