using Derp.Distribution.Api.Services;
using Quartz;

namespace Derp.Distribution.Api.Jobs;

/// <summary>
/// Assigns the content of delayed storefront deliveries that are due. The delay lives in the row (ready_at), not in
/// memory, so a restart loses nothing (ADR-023); a GET after readyAt does the same for the one delivery asked about.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DelayedDeliveryJob(IServiceScopeFactory scopes, ILogger<DelayedDeliveryJob> logger) : IJob
{
    public static readonly JobKey Key = new("storefront-delayed-deliveries");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        List<Guid> due;
        using (var scope = scopes.CreateScope())
            due = await scope.ServiceProvider.GetRequiredService<StorefrontDeliveryEngine>().DueAsync(200, cancellationToken);
        var completed = 0;
        foreach (var id in due)
        {
            // A scope per delivery: one failing (an api card's owner URL down) must not spoil the others' change tracking.
            using var scope = scopes.CreateScope();
            try
            {
                if (await scope.ServiceProvider.GetRequiredService<StorefrontDeliveryEngine>().CompleteIfDueAsync(id, skipLocked: true, cancellationToken))
                    completed++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Delayed delivery {DeliveryId} could not be completed; the next run tries again", id);
            }
        }
        if (completed > 0)
            logger.LogInformation("Completed {Count} delayed storefront deliveries", completed);
    }
}
