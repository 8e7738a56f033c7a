using Derp.Contracts.Finance;
using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.Model;
using Microsoft.EntityFrameworkCore;

namespace Derp.Finance.Api.Services;

/// <summary>What one ledger entry records; <see cref="AmountCents"/> is signed (credits positive).</summary>
public sealed record LedgerPosting(string Type, long AmountCents)
{
    /// <summary>Chosen by the caller when something else already points at the entry (a balance serial's use log).</summary>
    public Guid? EntryId { get; init; }

    public Guid? OrderId { get; init; }
    public Guid? SerialId { get; init; }
    public Guid? DonationId { get; init; }
    public Guid? PaymentId { get; init; }
    public Guid? OperatorId { get; init; }
    public string? Remark { get; init; }
}

/// <summary>
/// The one way a balance changes. Each posting is a conditional UPDATE (<c>balance + amount >= 0</c>) that takes the
/// wallet's row lock until the caller's transaction ends, so concurrent postings serialise on the row, a debit that does
/// not fit changes nothing, and the entry's balance-after is the balance that UPDATE produced. The database's check
/// constraint refuses a negative balance even if a caller got this wrong.
/// </summary>
public sealed class Ledger(FinanceContext db, TimeProvider clock)
{
    /// <summary>Posts to a renter's wallet (made on first use). Null when a debit exceeds the balance.</summary>
    public Task<LedgerEntry?> PostAsync(Guid userId, LedgerPosting posting, CancellationToken cancellationToken) =>
        PostAsync(userId, WalletKinds.Renter, posting, cancellationToken);

    /// <summary>Posts to one of the platform's own accounts (<see cref="WalletKinds"/>, e.g. donations).</summary>
    public Task<LedgerEntry?> PostToPlatformAsync(string kind, Guid? userId, LedgerPosting posting, CancellationToken cancellationToken) =>
        PostAsync(userId, kind, posting, cancellationToken);

    public async Task<long> BalanceAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.Wallets.Where(w => w.UserId == userId).Select(w => (long?)w.BalanceCents).SingleOrDefaultAsync(cancellationToken) ?? 0;

    private async Task<LedgerEntry?> PostAsync(Guid? userId, string kind, LedgerPosting posting, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("A ledger posting must run inside the transaction of the change it belongs to.");
        if (posting.AmountCents == 0)
            throw new ArgumentException("A ledger entry moves money.", nameof(posting));

        var now = clock.GetUtcNow();
        var ownerId = kind == WalletKinds.Renter ? userId : null;
        await db.Database.ExecuteSqlAsync(
            $"""
             INSERT INTO wallets (id, user_id, kind, balance_cents, currency, updated_at)
             VALUES ({Guid.CreateVersion7()}, {ownerId}, {kind}, 0, {Currencies.Cny}, {now})
             ON CONFLICT DO NOTHING
             """, cancellationToken);
        // One statement per case: a renter's wallet is found by its owner, a platform account by its kind.
        var update = ownerId is { } owner
            ? db.Database.SqlQuery<WalletBalance>(
                $"""
                 UPDATE wallets SET balance_cents = balance_cents + {posting.AmountCents}, updated_at = {now}
                 WHERE user_id = {owner} AND balance_cents + {posting.AmountCents} >= 0
                 RETURNING id AS "Id", balance_cents AS "BalanceCents", currency AS "Currency"
                 """)
            : db.Database.SqlQuery<WalletBalance>(
                $"""
                 UPDATE wallets SET balance_cents = balance_cents + {posting.AmountCents}, updated_at = {now}
                 WHERE kind = {kind} AND user_id IS NULL AND balance_cents + {posting.AmountCents} >= 0
                 RETURNING id AS "Id", balance_cents AS "BalanceCents", currency AS "Currency"
                 """);
        var updated = await update.ToListAsync(cancellationToken);
        if (updated is not [var wallet])
            return null;

        var entry = new LedgerEntry
        {
            Id = posting.EntryId ?? Guid.CreateVersion7(),
            WalletId = wallet.Id,
            UserId = userId,
            Type = posting.Type,
            AmountCents = posting.AmountCents,
            BalanceAfterCents = wallet.BalanceCents,
            Currency = wallet.Currency,
            OrderId = posting.OrderId,
            SerialId = posting.SerialId,
            DonationId = posting.DonationId,
            PaymentId = posting.PaymentId,
            OperatorId = posting.OperatorId,
            Remark = posting.Remark,
            CreatedAt = now,
        };
        db.Ledger.Add(entry);
        return entry;
    }

    private sealed record WalletBalance(Guid Id, long BalanceCents, string Currency);
}
