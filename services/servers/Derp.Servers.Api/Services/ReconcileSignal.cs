namespace Derp.Servers.Api.Services;

/// <summary>
/// Wakes this replica's reconcile loop after a consumer or endpoint recorded a change (ADR-008). Wakes coalesce:
/// however many arrive while the loop works, it runs once more.
/// </summary>
public sealed class ReconcileSignal
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // already woken
        }
    }

    /// <summary>Waits for a wake or the timeout (the loop also looks on its own, for other replicas' requests and retries).</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);
}
