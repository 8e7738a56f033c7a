using Derp.Contracts.Distribution;
using Derp.Contracts.Finance;
using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.Services;
using Derp.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Derp.Finance.Api.IntegrationEvents;

/// <summary>
/// A distributor moved available commission to their wallet (distribution drew it under its own lock): the wallet is
/// credited with a <c>commission</c> entry whose id is the transfer id. The inbox makes one message act once; the
/// entry id makes one transfer act once even when it arrives in another message (a republished outbox row).
/// </summary>
public sealed class CommissionMovedToWalletConsumer(FinanceContext db, Ledger ledger, ILogger<CommissionMovedToWalletConsumer> logger)
    : IConsumer<CommissionMovedToWallet>
{
    public Task Consume(ConsumeContext<CommissionMovedToWallet> context) =>
        db.ConsumeOnceAsync(context, nameof(CommissionMovedToWalletConsumer), async cancellationToken =>
        {
            var moved = context.Message;
            if (moved.AmountCents <= 0 || moved.Currency != Currencies.Cny)
            {
                logger.LogWarning("Commission transfer {TransferId} of {AmountCents} {Currency} for {DistributorId} cannot be credited",
                    moved.TransferId, moved.AmountCents, moved.Currency, moved.DistributorId);
                return;
            }
            // Two messages carrying one transfer may be consumed at once: the second waits here until the first commits, then finds its entry.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({TransferLockKey(moved.TransferId)})", cancellationToken);
            if (await db.Ledger.AnyAsync(e => e.Id == moved.TransferId, cancellationToken))
                return;
            _ = await ledger.PostAsync(moved.DistributorId, new LedgerPosting(LedgerEntryTypes.Commission, moved.AmountCents)
            {
                EntryId = moved.TransferId,
                Remark = "Commission moved to the wallet",
            }, cancellationToken) ?? throw new InvalidOperationException("A credit always fits.");
            logger.LogInformation("Commission transfer {TransferId}: {AmountCents} credited to {DistributorId}", moved.TransferId, moved.AmountCents, moved.DistributorId);
        });

    private static long TransferLockKey(Guid transferId) => BitConverter.ToInt64(transferId.ToByteArray(), 8);
}
