using Derp.Contracts.Finance;
using Derp.Finance.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Derp.Finance.Api.Services;

/// <summary>What stands between an account and its deregistration (requirements §1.4).</summary>
public sealed record SettlementAssessment(IReadOnlyList<string> Blockers, long BalanceCents)
{
    public bool Settled => Blockers.Count == 0;
}

public static class Settlement
{
    /// <summary>Settled = no order waiting for money, no paid order still waiting for its rental, nothing left in the wallet.</summary>
    public static async Task<SettlementAssessment> AssessAsync(FinanceContext db, Guid userId, CancellationToken cancellationToken)
    {
        // A paid serial purchase is done once paid (serials, not a rental event, follow it): only rental orders wait for fulfilment.
        var statuses = await db.Orders.Where(o => o.UserId == userId
                && (o.Status == OrderStatuses.PendingPayment || (o.Status == OrderStatuses.Paid && OrderTypes.Rental.Contains(o.Type))))
            .Select(o => o.Status).Distinct().ToListAsync(cancellationToken);
        var balance = await db.Wallets.Where(w => w.UserId == userId).Select(w => (long?)w.BalanceCents).SingleOrDefaultAsync(cancellationToken) ?? 0;
        var blockers = new List<string>();
        if (statuses.Contains(OrderStatuses.PendingPayment))
            blockers.Add(SettlementBlockers.UnpaidOrder);
        if (statuses.Contains(OrderStatuses.Paid))
            blockers.Add(SettlementBlockers.PaidNotFulfilled);
        if (balance > 0)
            blockers.Add(SettlementBlockers.Balance);
        return new SettlementAssessment(blockers, balance);
    }

    /// <summary>
    /// Keeps the account's case in step with an answer: an unsettled one is (still, or again) awaiting settlement, with
    /// the blockers of this answer; a settled one closes a case left open (the renter spent the balance, the order was
    /// fulfilled). One statement each, so two deregistration runs asking at once cannot collide.
    /// </summary>
    public static Task RecordAsync(FinanceContext db, Guid userId, SettlementAssessment assessment, DateTimeOffset now, CancellationToken cancellationToken) =>
        assessment.Settled
            ? db.Database.ExecuteSqlAsync(
                $"UPDATE settlement_cases SET settled_at = {now}, blockers = {Array.Empty<string>()}, balance_cents = 0, last_asked_at = {now} WHERE user_id = {userId} AND settled_at IS NULL",
                cancellationToken)
            : db.Database.ExecuteSqlAsync(
                $"""
                 INSERT INTO settlement_cases (user_id, blockers, balance_cents, first_asked_at, last_asked_at)
                 VALUES ({userId}, {assessment.Blockers.ToArray()}, {assessment.BalanceCents}, {now}, {now})
                 ON CONFLICT (user_id) DO UPDATE SET
                   blockers = excluded.blockers, balance_cents = excluded.balance_cents, last_asked_at = excluded.last_asked_at,
                   first_asked_at = CASE WHEN settlement_cases.settled_at IS NULL THEN settlement_cases.first_asked_at ELSE excluded.first_asked_at END,
                   settled_at = NULL, settled_by = NULL, action = NULL, remark = NULL
                 """, cancellationToken);
}
