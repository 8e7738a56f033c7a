using Microsoft.Extensions.Options;

namespace Derp.Servers.Api.Services;

/// <summary>
/// This replica's reconciler, woken in-process by <see cref="ReconcileSignal"/> right after a change is recorded, and
/// looking on its own every few seconds for requests recorded by other replicas and for retries that came due. The
/// clustered Quartz job (<c>ReconcileJob</c>) is the minute-by-minute safety net that also observes the engines.
/// </summary>
public sealed class ReconcileLoop(IServiceScopeFactory scopes, ReconcileSignal signal, IOptions<ServersOptions> options, ILogger<ReconcileLoop> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<Reconciler>().RunDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Reconciliation pass failed; trying again shortly");
            }
            try
            {
                await signal.WaitAsync(options.Value.ReconcilePollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
