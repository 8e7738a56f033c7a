using Derp.Contracts.Distribution;
using Derp.Distribution.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Derp.Distribution.Api.Jobs;

/// <summary>
/// Pending commission whose holding period has passed becomes available. One conditional UPDATE: a row a refund
/// reversed meanwhile no longer matches <c>status = pending</c> and stays reversed.
/// </summary>
[DisallowConcurrentExecution]
public sealed class CommissionAvailabilityJob(DistributionContext db, TimeProvider clock, ILogger<CommissionAvailabilityJob> logger) : IJob
{
    public static readonly JobKey Key = new("distribution-commission-availability");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var released = await ReleaseDueAsync(cancellationToken);
        if (released > 0)
            logger.LogInformation("{Count} commissions became available", released);
    }

    public Task<int> ReleaseDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return db.Commissions.Where(c => c.Status == CommissionStatuses.Pending && c.AvailableAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CommissionStatuses.Available), cancellationToken);
    }
}
