using System.Collections.Concurrent;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.TestSupport;

/// <summary>
/// Hosts one service in-process like <see cref="ServiceFactory{TProgram}"/> (its own real PostgreSQL database, the
/// service's own wiring, outbox and inbox), with MassTransit's in-memory test harness in place of the RabbitMQ
/// transport (ADR-015): for a consumer's logic, given messages in any order or twice, without a broker. The service
/// does not know: <c>AddMassTransitTestHarness</c> replaces the bus it registered and keeps its consumers. What is about
/// RabbitMQ itself (outbox delivery across an outage, retries, error queues, isolation) stays on the real broker.
/// </summary>
/// <remarks>
/// One harness serves a whole test class, so waits never rely on its inactivity timer (once it fires, every later
/// <c>Any</c> answers from what is already there): <see cref="ConsumedAsync{T}"/> and <see cref="PublishedAsync{T}"/>
/// poll with a deadline of their own; <c>Harness.Consumed.Any</c> is for messages already waited for.
/// </remarks>
public abstract class HarnessServiceFactory<TProgram>(string name) : ServiceFactory<TProgram>(name) where TProgram : class
{
    private static readonly CancellationToken AlreadyThere = new(canceled: true);

    /// <summary>A port nothing listens on: a bus that reached for RabbitMQ instead of the harness would fail loudly.</summary>
    protected override string RabbitMqConnectionString => "amqp://guest:guest@127.0.0.1:1/";

    /// <summary>What the bus consumed, published and sent (each <c>MessageId</c> once).</summary>
    public ITestHarness Harness => Services.GetTestHarness();

    /// <summary>Every consumption the bus finished, redeliveries of one <c>MessageId</c> included.</summary>
    public ConsumptionLog Consumptions { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddMassTransitTestHarness(bus => bus.SetTestTimeouts(testTimeout: TimeSpan.FromMinutes(10), testInactivityTimeout: TimeSpan.FromMinutes(10)));
            // In production the service starts while the broker is away; here tests publish as soon as the host is up.
            services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        });
    }

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Services.GetRequiredService<IBus>().ConnectConsumeObserver(Consumptions);
    }

    /// <summary>Publishes on the in-memory bus, as another service's outbox would (a given <paramref name="messageId"/> makes a redelivery).</summary>
    public Task PublishAsync<T>(T message, Guid? messageId = null) where T : class =>
        Harness.Bus.Publish(message, context => context.MessageId = messageId ?? NewId.NextGuid());

    /// <summary>Waits until <paramref name="count"/> deliveries of <typeparamref name="T"/> matching <paramref name="where"/> were consumed, none failing.</summary>
    public Task ConsumedAsync<T>(Func<T, bool> where, int count = 1, TimeSpan? timeout = null) where T : class =>
        Consumptions.WaitAsync(where, count, timeout);

    /// <summary>Waits for a published <typeparamref name="T"/> matching <paramref name="where"/> (from the service's outbox, for events it raises).</summary>
    public async Task<T> PublishedAsync<T>(Func<T, bool> where, TimeSpan? timeout = null) where T : class
    {
        var published = await Until.ValueAsync(
            () => Task.FromResult(Harness.Published.Select<T>(m => where(m.Context.Message), AlreadyThere).FirstOrDefault()),
            found => found is not null, $"{typeof(T).Name} published", timeout ?? TimeSpan.FromSeconds(20));
        return published!.Context.Message;
    }

    /// <summary>The <typeparamref name="T"/> published so far that match <paramref name="where"/>; no wait.</summary>
    public IReadOnlyList<T> PublishedSoFar<T>(Func<T, bool> where) where T : class =>
        Harness.Published.Select<T>(m => where(m.Context.Message), AlreadyThere).Select(m => m.Context.Message).ToList();
}

/// <summary>The bus's finished consumptions in order; the harness's own lists keep one entry per <c>MessageId</c>.</summary>
public sealed class ConsumptionLog : IConsumeObserver
{
    private readonly ConcurrentQueue<(object Message, Exception? Fault)> _entries = new();

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        _entries.Enqueue((context.Message, null));
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        _entries.Enqueue((context.Message, exception));
        return Task.CompletedTask;
    }

    public async Task WaitAsync<T>(Func<T, bool> where, int count = 1, TimeSpan? timeout = null) where T : class
    {
        var matching = await Until.ValueAsync(
            () => Task.FromResult(_entries.Where(e => e.Message is T message && where(message)).ToList()),
            found => found.Count >= count || found.Any(e => e.Fault is not null), $"{count} consumption(s) of {typeof(T).Name}", timeout ?? TimeSpan.FromSeconds(20));
        if (matching.FirstOrDefault(e => e.Fault is not null).Fault is { } fault)
            throw new InvalidOperationException($"Consuming {typeof(T).Name} failed.", fault);
    }
}
