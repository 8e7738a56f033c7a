using Derp.Contracts.Distribution;
using Derp.Distribution.Api.Infrastructure;
using Derp.Distribution.Api.Model;
using Microsoft.EntityFrameworkCore;

namespace Derp.Distribution.Api.Services;

/// <summary>
/// Every change to a distributor's commission rows (earning, reversing, drawing for a payout or a wallet transfer,
/// returning a rejected payout) runs inside a transaction that first takes this distributor's advisory lock, so the
/// available balance a change reads is still the balance when it commits: two payout requests never draw the same
/// money, and a refund never races a draw (ADR-022).
/// </summary>
public sealed class CommissionAccount(DistributionContext db, TimeProvider clock)
{
    public async Task LockAsync(Guid distributorId, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("A distributor's commission lock is held by a transaction.");
        var key = "distribution-commissions:" + distributorId.ToString("N");
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({key}, 0))", cancellationToken);
    }

    public Task<List<Commission>> AvailableOldestFirstAsync(Guid distributorId, CancellationToken cancellationToken) =>
        db.Commissions.Where(c => c.DistributorId == distributorId && c.Status == CommissionStatuses.Available)
            .OrderBy(c => c.AvailableAt).ThenBy(c => c.Id).ToListAsync(cancellationToken);

    /// <summary>
    /// Takes <paramref name="amountCents"/> of available commission under the lock: the drawn rows get
    /// <paramref name="status"/> and are handed to <paramref name="mark"/>; a row taken in part leaves its rest as an
    /// available split row. False (nothing changed) when the balance does not cover the amount.
    /// </summary>
    public async Task<bool> DrawAsync(Guid distributorId, long amountCents, string status, Action<Commission> mark, CancellationToken cancellationToken)
    {
        var available = await AvailableOldestFirstAsync(distributorId, cancellationToken);
        if (CommissionMath.Draw(available, c => c.AmountCents, amountCents) is not { } taken)
            return false;
        foreach (var (row, part) in taken)
        {
            if (part < row.AmountCents)
            {
                db.Commissions.Add(new Commission
                {
                    Id = Guid.CreateVersion7(),
                    DistributorId = row.DistributorId,
                    RenterId = row.RenterId,
                    OrderId = row.OrderId,
                    Kind = CommissionKinds.Split,
                    Status = CommissionStatuses.Available,
                    RateBasisPoints = row.RateBasisPoints,
                    TierCode = row.TierCode,
                    AmountCents = row.AmountCents - part,
                    Currency = row.Currency,
                    EarnedAt = row.EarnedAt,
                    AvailableAt = row.AvailableAt,
                    SourceId = row.Id,
                });
                row.AmountCents = part;
            }
            row.Status = status;
            if (status == CommissionStatuses.Paid)
                db.CountCommission(CommissionStatuses.Paid, row.AmountCents);
            mark(row);
        }
        return true;
    }

    /// <summary>
    /// An order's money went back to the renter: what was not drawn yet is reversed; what a payout or a wallet transfer
    /// already drew is reversed too and clawed back by a negative available row, which later commission pays back
    /// first. False when the order earned nothing here or was already reversed.
    /// </summary>
    public async Task<bool> ReverseOrderAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var rows = await db.Commissions
            .Where(c => c.OrderId == orderId && (c.Kind == CommissionKinds.Order || c.Kind == CommissionKinds.Split))
            .ToListAsync(cancellationToken);
        if (rows.Count == 0 || rows.All(r => r.Status == CommissionStatuses.Reversed))
            return false;
        var now = clock.GetUtcNow();
        foreach (var row in rows.Where(r => r.Status != CommissionStatuses.Reversed))
        {
            if (row.Status is CommissionStatuses.Locked or CommissionStatuses.Paid && row.AmountCents != 0)
            {
                db.Commissions.Add(new Commission
                {
                    Id = Guid.CreateVersion7(),
                    DistributorId = row.DistributorId,
                    RenterId = row.RenterId,
                    OrderId = row.OrderId,
                    Kind = CommissionKinds.Clawback,
                    Status = CommissionStatuses.Available,
                    RateBasisPoints = row.RateBasisPoints,
                    TierCode = row.TierCode,
                    AmountCents = -row.AmountCents,
                    Currency = row.Currency,
                    EarnedAt = now,
                    AvailableAt = now,
                    SourceId = row.Id,
                });
            }
            row.Status = CommissionStatuses.Reversed;
            row.ReversedAt = now;
            db.CountCommission(CommissionStatuses.Reversed, row.AmountCents);
        }
        return true;
    }

    /// <summary>
    /// A rejected payout gives its money back: its locked rows are available again, and a row refunded while locked
    /// (already clawed back) comes back as a positive row that cancels its clawback.
    /// </summary>
    public async Task ReturnPayoutAsync(Guid payoutId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rows = await db.Commissions.Where(c => c.PayoutId == payoutId).ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            if (row.Status == CommissionStatuses.Locked)
            {
                row.Status = CommissionStatuses.Available;
                row.PayoutId = null;
            }
            else if (row.Status == CommissionStatuses.Reversed && row.AmountCents != 0)
            {
                db.Commissions.Add(new Commission
                {
                    Id = Guid.CreateVersion7(),
                    DistributorId = row.DistributorId,
                    RenterId = row.RenterId,
                    OrderId = row.OrderId,
                    Kind = CommissionKinds.Returned,
                    Status = CommissionStatuses.Available,
                    RateBasisPoints = row.RateBasisPoints,
                    TierCode = row.TierCode,
                    AmountCents = row.AmountCents,
                    Currency = row.Currency,
                    EarnedAt = now,
                    AvailableAt = now,
                    SourceId = row.Id,
                });
            }
        }
    }

    public async Task MarkPayoutPaidAsync(Guid payoutId, CancellationToken cancellationToken)
    {
        foreach (var row in await db.Commissions.Where(c => c.PayoutId == payoutId && c.Status == CommissionStatuses.Locked).ToListAsync(cancellationToken))
        {
            row.Status = CommissionStatuses.Paid;
            db.CountCommission(CommissionStatuses.Paid, row.AmountCents);
        }
    }
}
