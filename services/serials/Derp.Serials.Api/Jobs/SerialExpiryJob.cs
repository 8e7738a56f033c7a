using Derp.Contracts.Serials;
using Derp.Serials.Api.Infrastructure;
using Derp.Serials.Api.Model;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Derp.Serials.Api.Jobs;

/// <summary>
/// Unused serials past their valid-until and active licences past their expiry become expired. Safe to run twice
/// and on any replica: each statement only moves rows that still qualify.
/// </summary>
[DisallowConcurrentExecution]
public sealed class SerialExpiryJob(SerialsContext db, TimeProvider clock, ILogger<SerialExpiryJob> logger) : IJob
{
    public static readonly JobKey Key = new("serials-expiry");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var (unused, licences) = await ExpireAsync(db, clock.GetUtcNow(), cancellationToken);
        if (unused + licences > 0)
            logger.LogInformation("Expired {Unused} unused serials and {Licences} licences", unused, licences);
    }

    public static async Task<(int Unused, int Licences)> ExpireAsync(SerialsContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var unused = await db.Serials.Where(s => s.Status == SerialStatuses.Unused && s.ValidUntil <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SerialStatuses.Expired), cancellationToken);
        var licences = await db.Serials.Where(s => s.Status == SerialStatuses.Active && s.Kind == SerialKinds.Licence && s.ExpiresAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SerialStatuses.Expired), cancellationToken);
        return (unused, licences);
    }
}
