using MassTransit;

namespace Derp.ServiceDefaults.Metrics;

/// <summary>
/// Counts every message a consumer failed to handle (<c>derp_consumer_failures_total{consumer,message}</c>), for
/// every consumer of every service: MassTransit tells receive observers about each consumer fault.
/// </summary>
public sealed class ConsumerFailureObserver : IReceiveObserver
{
    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class
    {
        PlatformMetrics.ConsumerFailures.Add(1, PlatformMetrics.Tag("consumer", ShortName(consumerType)), PlatformMetrics.Tag("message", typeof(T).Name));
        return Task.CompletedTask;
    }

    public Task ReceiveFault(ReceiveContext context, Exception exception) => Task.CompletedTask;

    /// <summary>"Derp.Users.Api.IntegrationEvents.RentalConsumer" -> "RentalConsumer" (generic arguments dropped).</summary>
    public static string ShortName(string consumerType)
    {
        var name = consumerType;
        var generic = name.IndexOfAny(['<', '`', '[']);
        if (generic > 0)
            name = name[..generic];
        var dot = name.LastIndexOf('.');
        return dot >= 0 ? name[(dot + 1)..] : name;
    }
}
