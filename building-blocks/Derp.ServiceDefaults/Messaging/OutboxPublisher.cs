using System.Diagnostics.Metrics;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Derp.ServiceDefaults.Messaging;

public sealed class OutboxOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>
    /// The longest pause between tries while publishing fails. Short: a try costs one query and one publish attempt,
    /// and after a broker outage events should flow within seconds of its return (30 s made renters wait ~35 s).
    /// </summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);
    public int BatchSize { get; set; } = 100;
}

/// <summary>Wakes the publisher as soon as a unit of work has written outbox rows, instead of at the next poll.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try { _signal.Release(); } catch (SemaphoreFullException) { /* already signalled */ }
        }
    }

    /// <summary>True when woken by <see cref="Notify"/>, false when the timeout passed first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}

/// <summary>
/// Publishes committed outbox rows in order. Rows are claimed with FOR UPDATE SKIP LOCKED so several replicas share
/// the work without publishing a row twice; while RabbitMQ is unreachable the publisher backs off and retries, and
/// nothing is lost. The outbox message id becomes the MassTransit message id, which consumers use for idempotency.
/// </summary>
public sealed class OutboxPublisher<TContext>(
    IServiceScopeFactory scopes,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxPublisher<TContext>> logger) : BackgroundService where TContext : DbContext
{
    private static readonly Meter Meter = new("Derp.Outbox");
    private static readonly Counter<long> Published = Meter.CreateCounter<long>("derp.outbox.published", description: "Integration events published from the outbox.");
    private static readonly Counter<long> Failures = Meter.CreateCounter<long>("derp.outbox.publish_failures", description: "Failed attempts to publish an outbox row.");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var backoff = settings.PollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var (sent, failed) = await PublishBatchAsync(settings, stoppingToken);
                backoff = failed ? Min(backoff * 2, settings.MaxBackoff) : settings.PollInterval;
                if (sent == settings.BatchSize && !failed)
                    continue; // more waiting
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Outbox publishing for {Context} failed; retrying in {Backoff}", typeof(TContext).Name, backoff);
                backoff = Min(backoff * 2, settings.MaxBackoff);
            }

            try
            {
                await signal.WaitAsync(backoff, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<(int Sent, bool Failed)> PublishBatchAsync(OutboxOptions settings, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();
        var bus = scope.ServiceProvider.GetRequiredService<IBus>();

        await using var transaction = await context.Database.BeginTransactionAsync(stoppingToken);
        var batch = await context.Set<OutboxMessage>()
            .FromSqlInterpolated($"SELECT * FROM outbox_messages WHERE sent_at IS NULL ORDER BY id LIMIT {settings.BatchSize} FOR UPDATE SKIP LOCKED")
            .ToListAsync(stoppingToken);

        var sent = 0;
        var failed = false;
        foreach (var message in batch)
        {
            try
            {
                var type = Type.GetType(message.MessageType, throwOnError: true)!;
                var payload = JsonSerializer.Deserialize(message.Payload, type, MessagingExtensions.EventJson)!;
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(settings.PublishTimeout);
                await bus.Publish(payload, type, context => context.MessageId = message.MessageId, timeout.Token);
                message.SentAt = clock.GetUtcNow();
                message.Attempts++;
                sent++;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Stop at the first failure so events leave in the order they were written.
                message.Attempts++;
                message.LastError = e.Message.Length > 2000 ? e.Message[..2000] : e.Message;
                failed = true;
                Failures.Add(1);
                logger.LogWarning("Could not publish outbox message {MessageId} ({Type}), attempt {Attempt}: {Error}",
                    message.MessageId, message.MessageType, message.Attempts, e.Message);
                break;
            }
        }

        await context.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        if (sent > 0)
        {
            Published.Add(sent);
            logger.LogDebug("Published {Count} outbox message(s) for {Context}", sent, typeof(TContext).Name);
        }
        return (sent, failed);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
