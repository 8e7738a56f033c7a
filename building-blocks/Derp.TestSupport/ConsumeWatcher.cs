using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.TestSupport;

/// <summary>
/// Tells a test when the in-process service has finished consuming a message it sent (by message id), so a test of
/// "a duplicate changes nothing" knows the duplicate was handled instead of waiting an arbitrary time.
/// </summary>
public sealed class ConsumeWatcher : IConsumeObserver, IDisposable
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _consumed = new();
    private ConnectHandle? _handle;

    /// <summary>Watches every consumer of the service whose container is <paramref name="services"/> (attach before sending).</summary>
    public static ConsumeWatcher Attach(IServiceProvider services)
    {
        var watcher = new ConsumeWatcher();
        watcher._handle = services.GetRequiredService<IBus>().ConnectConsumeObserver(watcher);
        return watcher;
    }

    /// <summary>Completes once a consumer has finished with <paramref name="messageId"/> (its transaction committed).</summary>
    public Task ConsumedAsync(Guid messageId, TimeSpan? timeout = null) =>
        Signal(messageId).Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));

    private TaskCompletionSource Signal(Guid messageId) =>
        _consumed.GetOrAdd(messageId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.MessageId is { } id)
            Signal(id).TrySetResult();
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;

    public void Dispose() => _handle?.Disconnect();
}
