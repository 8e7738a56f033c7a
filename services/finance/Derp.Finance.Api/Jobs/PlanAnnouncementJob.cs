using Derp.Finance.Api.Apis;
using Derp.Finance.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace Derp.Finance.Api.Jobs;

/// <summary>
/// Every plan as it is now goes out again as <c>PlanChanged</c> every 10 minutes. A service that starts after a plan
/// changed (its queue did not exist when the event was published, e.g. a fresh install where finance seeds the plans
/// before serials or distribution have bound their queues) still gets every plan within minutes; projections keep the
/// highest version, so a repeat changes nothing.
/// </summary>
[DisallowConcurrentExecution]
public sealed class PlanAnnouncementJob(FinanceContext db, TimeProvider clock) : IJob
{
    public static readonly JobKey Key = new("finance-plan-announcement");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await AnnounceAllAsync(cancellationToken);

    public async Task<int> AnnounceAllAsync(CancellationToken cancellationToken)
    {
        var plans = await db.Plans.AsNoTracking().ToListAsync(cancellationToken);
        foreach (var plan in plans)
            PlansApi.Announce(db, plan, clock);
        await db.SaveChangesAsync(cancellationToken);
        return plans.Count;
    }
}
