using Derp.Contracts.Finance;
using Derp.Contracts.Serials;
using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.Model;
using Derp.Finance.Api.Services;
using Derp.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Derp.Finance.Api.IntegrationEvents;

/// <summary>
/// Balance and donation serials (seed 004): a balance serial's face value goes to the renter's wallet, a donation
/// serial becomes a donation on the platform's donations account. The inbox makes one message act once; the existence
/// checks make one serial act once even when it arrives in another message (a republished outbox row).
/// </summary>
public sealed class SerialRedeemedConsumer(FinanceContext db, Ledger ledger, TimeProvider clock, ILogger<SerialRedeemedConsumer> logger)
    : IConsumer<SerialRedeemed>
{
    public const int MaxDonorNameLength = 64;
    public const int MaxMessageLength = 500;

    public Task Consume(ConsumeContext<SerialRedeemed> context)
    {
        var redeemed = context.Message;
        if (redeemed.Kind is not (SerialKinds.Balance or SerialKinds.Donation))
            return Task.CompletedTask; // rental serials are users'
        if (redeemed.ValueCents is not > 0)
        {
            logger.LogWarning("{Kind} serial {SerialId} redeemed by {UserId} carries no value; nothing credited",
                redeemed.Kind, redeemed.SerialId, redeemed.UserId);
            return Task.CompletedTask;
        }
        return db.ConsumeOnceAsync(context, nameof(SerialRedeemedConsumer), async cancellationToken =>
        {
            // Two messages carrying one serial may be consumed at once: the second waits here until the first commits,
            // then finds its row. (A top-up without a related id has no unique key that would stop it otherwise.)
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({SerialLockKey(redeemed.SerialId)})", cancellationToken);
            await (redeemed.Kind == SerialKinds.Balance ? TopUpAsync(redeemed, cancellationToken) : DonateAsync(redeemed, cancellationToken));
        });
    }

    private static long SerialLockKey(Guid serialId) => BitConverter.ToInt64(serialId.ToByteArray(), 8);

    private async Task TopUpAsync(SerialRedeemed redeemed, CancellationToken cancellationToken)
    {
        if (await db.Ledger.AnyAsync(e => (redeemed.RelatedId != null && e.Id == redeemed.RelatedId)
                || (e.SerialId == redeemed.SerialId && e.Type == LedgerEntryTypes.SerialTopUp), cancellationToken))
            return;
        // The id serials chose, so its use-log row (related_type ledger_entry) points at this entry.
        var entry = await ledger.PostAsync(redeemed.UserId, new LedgerPosting(LedgerEntryTypes.SerialTopUp, redeemed.ValueCents!.Value)
        {
            EntryId = redeemed.RelatedId ?? Guid.CreateVersion7(),
            SerialId = redeemed.SerialId,
            Remark = redeemed.FullCode,
        }, cancellationToken) ?? throw new InvalidOperationException("A credit always fits.");
        logger.LogInformation("Balance serial {SerialId} credited {AmountCents} to {UserId} (entry {EntryId})",
            redeemed.SerialId, entry.AmountCents, redeemed.UserId, entry.Id);
    }

    private async Task DonateAsync(SerialRedeemed redeemed, CancellationToken cancellationToken)
    {
        if (await db.Donations.AnyAsync(d => d.SerialId == redeemed.SerialId || (redeemed.RelatedId != null && d.Id == redeemed.RelatedId), cancellationToken))
            return;
        var donation = new Donation
        {
            // The id serials chose, so its use-log row (related_type donation) points at this donation.
            Id = redeemed.RelatedId ?? Guid.CreateVersion7(),
            UserId = redeemed.UserId,
            SerialId = redeemed.SerialId,
            FullCode = redeemed.FullCode,
            DonorName = Clip(redeemed.DonorName, MaxDonorNameLength),
            Message = Clip(redeemed.DonationMessage, MaxMessageLength),
            Anonymous = redeemed.DonationAnonymous,
            AmountCents = redeemed.ValueCents!.Value,
            Currency = Currencies.Cny,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Donations.Add(donation);
        _ = await ledger.PostToPlatformAsync(WalletKinds.Donations, redeemed.UserId,
                new LedgerPosting(LedgerEntryTypes.Donation, donation.AmountCents) { SerialId = redeemed.SerialId, DonationId = donation.Id }, cancellationToken)
            ?? throw new InvalidOperationException("A credit always fits.");
        logger.LogInformation("Donation serial {SerialId} recorded as donation {DonationId} of {AmountCents} by {UserId}",
            redeemed.SerialId, donation.Id, donation.AmountCents, redeemed.UserId);
    }

    // serials checks the lengths when the renter types them; this only keeps an older or foreign message from failing forever.
    private static string? Clip(string? text, int maxLength)
    {
        var trimmed = text?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed.Length > maxLength ? trimmed[..maxLength] : trimmed;
    }
}
