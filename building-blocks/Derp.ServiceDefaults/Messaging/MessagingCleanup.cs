using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Derp.ServiceDefaults.Messaging;

public sealed class MessagingCleanupOptions
{
    public const string Section = "Messaging:Cleanup";

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Published outbox rows are kept this long for whoever investigates a delivery.</summary>
    public TimeSpan SentOutboxRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Inbox rows must outlive any redelivery of their message (retries, a broker restored from a backup, a replayed
    /// error queue): 30 days is far beyond all of them.
    /// </summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>
/// Drops published outbox rows and inbox rows past their purpose, every hour, in every service with messaging. Every
/// replica runs it; the deletes are idempotent, so no coordination is needed.
/// </summary>
public sealed class MessagingCleanup<TContext>(IServiceScopeFactory scopes, IOptions<MessagingCleanupOptions> options, TimeProvider clock,
    ILogger<MessagingCleanup<TContext>> logger) : BackgroundService where TContext : DbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CleanAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Outbox and inbox cleanup for {Context} failed; trying again later", typeof(TContext).Name);
            }
            try { await Task.Delay(options.Value.Interval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    public async Task<(int Sent, int Inbox)> CleanAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var now = clock.GetUtcNow();
        var sent = await db.Set<OutboxMessage>().Where(m => m.SentAt < now - options.Value.SentOutboxRetention).ExecuteDeleteAsync(cancellationToken);
        var inbox = await db.Set<InboxMessage>().Where(m => m.ProcessedAt < now - options.Value.InboxRetention).ExecuteDeleteAsync(cancellationToken);
        if (sent + inbox > 0)
            logger.LogInformation("Removed {Sent} published outbox rows and {Inbox} inbox rows of {Context}", sent, inbox, typeof(TContext).Name);
        return (sent, inbox);
    }
}
