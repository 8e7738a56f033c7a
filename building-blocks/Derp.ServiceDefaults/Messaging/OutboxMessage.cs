using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Derp.ServiceDefaults.Messaging;

/// <summary>
/// An integration event waiting to leave. It is written in the same transaction as the state change that caused
/// it, so an event is published if and only if that change committed (eShop's IntegrationEventLog pattern).
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }
    public Guid MessageId { get; set; }
    public required string MessageType { get; set; }
    public required string Payload { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }

    public static OutboxMessage For<T>(T integrationEvent, DateTimeOffset now) where T : class => new()
    {
        MessageId = Guid.NewGuid(),
        MessageType = TypeName(typeof(T)),
        Payload = JsonSerializer.Serialize(integrationEvent, MessagingExtensions.EventJson),
        CreatedAt = now,
    };

    public static string TypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}

/// <summary>
/// Marks a message as handled by one consumer, in the consumer's own transaction, so a redelivered message
/// changes nothing the second time.
/// </summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; set; }
    public required string Consumer { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }
}

public static class OutboxModel
{
    /// <summary>Adds the outbox and inbox tables to a service's model; call from OnModelCreating.</summary>
    public static ModelBuilder AddOutboxAndInbox(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(entity =>
        {
            entity.ToTable("OutboxMessages");
            entity.HasKey(m => m.Id);
            entity.Property(m => m.MessageType).HasMaxLength(300);
            entity.Property(m => m.Payload).HasColumnType("jsonb");
            entity.Property(m => m.LastError).HasMaxLength(2000);
            entity.HasIndex(m => m.MessageId).IsUnique();
            // The publisher scans only what is still to send.
            entity.HasIndex(m => m.Id).HasFilter("sent_at IS NULL").HasDatabaseName("ix_outbox_messages_unsent");
        });
        modelBuilder.Entity<InboxMessage>(entity =>
        {
            entity.ToTable("InboxMessages");
            entity.HasKey(m => new { m.MessageId, m.Consumer });
            entity.Property(m => m.Consumer).HasMaxLength(200);
        });
        return modelBuilder;
    }

    /// <summary>Queues an integration event to be published when the current unit of work commits.</summary>
    public static void AddIntegrationEvent<T>(this DbContext context, T integrationEvent, TimeProvider clock) where T : class =>
        context.Set<OutboxMessage>().Add(OutboxMessage.For(integrationEvent, clock.GetUtcNow()));

    /// <summary>
    /// Records that <paramref name="consumer"/> handled <paramref name="messageId"/>; false when it already had.
    /// Call inside the consumer's transaction, before its state change.
    /// </summary>
    public static async Task<bool> TryMarkProcessedAsync(this DbContext context, Guid messageId, string consumer, CancellationToken cancellationToken)
    {
        var inserted = await context.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO inbox_messages (message_id, consumer, processed_at) VALUES ({messageId}, {consumer}, now()) ON CONFLICT DO NOTHING",
            cancellationToken);
        return inserted == 1;
    }

    /// <summary>
    /// Runs a consumer's change once per message: the inbox row and the change commit together, so a redelivered
    /// message finds its row and changes nothing.
    /// </summary>
    public static async Task ConsumeOnceAsync<T>(this DbContext context, MassTransit.ConsumeContext<T> message, string consumer,
        Func<CancellationToken, Task> change) where T : class
    {
        var cancellationToken = message.CancellationToken;
        var messageId = message.MessageId ?? throw new InvalidOperationException("Messages must carry a message id.");
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        if (!await context.TryMarkProcessedAsync(messageId, consumer, cancellationToken))
            return;
        await change(cancellationToken);
        await context.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
