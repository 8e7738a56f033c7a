using Derp.Acl.Api.Infrastructure;
using Derp.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Acl.FunctionalTests;

/// <summary>Every service with messaging drops outbox and inbox rows past their purpose (acl had no cleanup before).</summary>
public sealed class MessagingCleanupTests(AclApiFactory factory) : IClassFixture<AclApiFactory>
{
    [Fact]
    public async Task Old_published_outbox_rows_and_old_inbox_rows_go_while_recent_and_unsent_ones_stay()
    {
        var now = factory.Clock.GetUtcNow();
        OutboxMessage Outbox(DateTimeOffset createdAt, DateTimeOffset? sentAt) => new()
        {
            MessageId = Guid.NewGuid(), MessageType = "test", Payload = "{}", CreatedAt = createdAt, SentAt = sentAt,
        };
        var oldSent = Outbox(now.AddDays(-9), now.AddDays(-8));
        var recentSent = Outbox(now.AddDays(-2), now.AddDays(-2));
        var oldUnsent = Outbox(now.AddDays(-9), null);
        var oldInbox = new InboxMessage { MessageId = Guid.NewGuid(), Consumer = "test", ProcessedAt = now.AddDays(-31) };
        var recentInbox = new InboxMessage { MessageId = Guid.NewGuid(), Consumer = "test", ProcessedAt = now.AddDays(-29) };
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AclContext>();
            db.AddRange(oldSent, recentSent, oldUnsent, oldInbox, recentInbox);
            await db.SaveChangesAsync();
        }

        await factory.Services.GetRequiredService<MessagingCleanup<AclContext>>().CleanAsync(CancellationToken.None);

        await using var check = factory.Services.CreateAsyncScope();
        var context = check.ServiceProvider.GetRequiredService<AclContext>();
        var outbox = await context.Set<OutboxMessage>().Where(m => m.MessageType == "test").Select(m => m.MessageId).ToListAsync();
        outbox.ShouldBe([recentSent.MessageId, oldUnsent.MessageId], ignoreOrder: true); // unsent rows are never dropped
        var inbox = await context.Set<InboxMessage>().Where(m => m.Consumer == "test").Select(m => m.MessageId).ToListAsync();
        inbox.ShouldBe([recentInbox.MessageId]);
    }
}
