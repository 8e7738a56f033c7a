using Derp.ServiceDefaults.Persistence;
using Derp.Contracts.Finance;
using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.Model;
using Derp.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Derp.Finance.Api.Services;

/// <summary>Money that arrived for an order, from any channel (see <see cref="Payment"/>).</summary>
public sealed record IncomingPayment(string Channel, string Reference, long AmountCents, string Currency, DateTimeOffset ReceivedAt)
{
    public string? Memo { get; init; }
    public string? PayerName { get; init; }
    public string? Remark { get; init; }

    /// <summary>The admin who confirmed it; null for provider notifications and wallet payments.</summary>
    public Guid? RecordedBy { get; init; }
}

/// <summary>What applying a payment did. <see cref="Duplicate"/>: this (channel, reference) was already recorded; nothing changed.</summary>
public sealed record PaymentOutcome(Payment Payment, Order? Order, bool Duplicate)
{
    /// <summary>
    /// A duplicate that is not the same money: the (channel, reference) was recorded for another order or amount, so the
    /// caller answers a conflict instead of "already done".
    /// </summary>
    public bool IsConflictingDuplicate(Guid? orderId, long amountCents) =>
        Duplicate && (Payment.AmountCents != amountCents || (orderId is not null && Payment.OrderId != orderId));
}

public enum WalletPaymentStatus { Paid, OrderNotFound, NotPayable, InsufficientBalance }

public sealed record WalletPaymentOutcome(WalletPaymentStatus Status, Order? Order);

public enum ReceiptChangeStatus { Done, ReceiptNotFound, NotUnmatched, OrderNotFound }

public sealed record ReceiptChangeOutcome(ReceiptChangeStatus Status, Payment? Payment = null, Order? Order = null);

/// <summary>
/// The one path by which money reaches an order, whatever the channel (admin confirmation, matched receipt, provider
/// notification, the renter's wallet): idempotent on (channel, reference), partial payments add up, the part beyond
/// the price (or money for an order that can no longer take it) goes to the renter's wallet, and a fully paid order
/// publishes OrderPaid.
/// <para>
/// Every method runs inside the caller's transaction when there is one (so the caller can add its audit row and commit
/// once), else in its own. Order of locks, always the same: the payment's unique key first (the insert), then the
/// order's row, then the wallet's row (the ledger).
/// </para>
/// </summary>
public sealed class OrderPayments(FinanceContext db, Ledger ledger, TimeProvider clock)
{
    /// <summary>Applies <paramref name="payment"/> to the order with this number (a provider's out_trade_no). Null when no such order.</summary>
    public async Task<PaymentOutcome?> ApplyToOrderNumberAsync(string orderNumber, IncomingPayment payment, CancellationToken cancellationToken)
    {
        var orderId = await db.Orders.Where(o => o.Number == orderNumber).Select(o => (Guid?)o.Id).SingleOrDefaultAsync(cancellationToken);
        return orderId is { } id ? await ApplyToOrderAsync(id, payment, cancellationToken) : null;
    }

    /// <summary>Applies <paramref name="payment"/> to this order. Null when no such order.</summary>
    public Task<PaymentOutcome?> ApplyToOrderAsync(Guid orderId, IncomingPayment payment, CancellationToken cancellationToken) =>
        InTransactionAsync(async () =>
        {
            var currency = await db.Orders.Where(o => o.Id == orderId).Select(o => o.Currency).SingleOrDefaultAsync(cancellationToken);
            if (currency is null)
                return null;
            // Money in another currency cannot be applied to a price: it waits in the inbox for an admin, not lost.
            var applicable = currency == payment.Currency;
            var (row, inserted) = await InsertAsync(payment, applicable ? orderId : null, cancellationToken);
            if (!inserted)
                return new PaymentOutcome(row, await db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId, cancellationToken), Duplicate: true);
            if (!applicable)
                return new PaymentOutcome(row, null, Duplicate: false);

            var order = await LockOrderAsync(orderId, cancellationToken);
            await ApplyAsync(row, order!, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return new PaymentOutcome(row, order, Duplicate: false);
        }, _ => true, cancellationToken);

    /// <summary>Records money that names no order yet (the unmatched inbox). Idempotent on (channel, reference) like the rest.</summary>
    public Task<PaymentOutcome> RecordUnmatchedAsync(IncomingPayment payment, CancellationToken cancellationToken) =>
        InTransactionAsync(async () =>
        {
            var (row, inserted) = await InsertAsync(payment, null, cancellationToken);
            Order? order = row.OrderId is { } id ? await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, cancellationToken) : null;
            return new PaymentOutcome(row, order, Duplicate: !inserted);
        }, _ => true, cancellationToken);

    /// <summary>An unmatched receipt is applied to an order, by exactly the rules of a confirmation.</summary>
    public Task<ReceiptChangeOutcome> MatchAsync(Guid paymentId, Guid orderId, CancellationToken cancellationToken) =>
        InTransactionAsync(async () =>
        {
            var row = await LockPaymentAsync(paymentId, cancellationToken);
            if (row is null)
                return new ReceiptChangeOutcome(ReceiptChangeStatus.ReceiptNotFound);
            if (row.Status != ReceiptStatuses.Unmatched)
                return new ReceiptChangeOutcome(ReceiptChangeStatus.NotUnmatched, row);
            var order = await LockOrderAsync(orderId, cancellationToken);
            if (order is null)
                return new ReceiptChangeOutcome(ReceiptChangeStatus.OrderNotFound, row);
            await ApplyAsync(row, order, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return new ReceiptChangeOutcome(ReceiptChangeStatus.Done, row, order);
        }, outcome => outcome.Status == ReceiptChangeStatus.Done, cancellationToken);

    /// <summary>An unmatched receipt is credited to a user's wallet (<c>receipt_credit</c>).</summary>
    public Task<ReceiptChangeOutcome> CreditAsync(Guid paymentId, Guid userId, Guid? operatorId, string? remark, CancellationToken cancellationToken) =>
        InTransactionAsync(async () =>
        {
            var row = await LockPaymentAsync(paymentId, cancellationToken);
            if (row is null)
                return new ReceiptChangeOutcome(ReceiptChangeStatus.ReceiptNotFound);
            if (row.Status != ReceiptStatuses.Unmatched)
                return new ReceiptChangeOutcome(ReceiptChangeStatus.NotUnmatched, row);
            await ledger.PostAsync(userId, new LedgerPosting(LedgerEntryTypes.ReceiptCredit, row.AmountCents)
            {
                PaymentId = row.Id,
                OperatorId = operatorId,
                Remark = remark,
            }, cancellationToken);
            row.Status = ReceiptStatuses.Credited;
            row.CreditedUserId = userId;
            await db.SaveChangesAsync(cancellationToken);
            return new ReceiptChangeOutcome(ReceiptChangeStatus.Done, row);
        }, outcome => outcome.Status == ReceiptChangeStatus.Done, cancellationToken);

    /// <summary>
    /// The renter pays what the order still needs from the wallet: the debit, the payment and the order's change commit
    /// together or not at all (a debit that does not fit rolls everything back).
    /// </summary>
    public Task<WalletPaymentOutcome> PayFromWalletAsync(Guid orderId, Guid userId, string? clientIp, CancellationToken cancellationToken) =>
        InTransactionAsync(async () =>
        {
            var order = await LockOrderAsync(orderId, cancellationToken);
            if (order is null || order.UserId != userId)
                return new WalletPaymentOutcome(WalletPaymentStatus.OrderNotFound, null);
            if (order.Status != OrderStatuses.PendingPayment)
                return new WalletPaymentOutcome(WalletPaymentStatus.NotPayable, order);

            var due = order.AmountDueCents;
            var now = clock.GetUtcNow();
            if (due > 0)
            {
                var paymentId = Guid.CreateVersion7();
                var debit = await ledger.PostAsync(userId, new LedgerPosting(LedgerEntryTypes.OrderPayment, -due) { OrderId = order.Id, PaymentId = paymentId },
                    cancellationToken);
                if (debit is null)
                    return new WalletPaymentOutcome(WalletPaymentStatus.InsufficientBalance, order);
                db.Payments.Add(new Payment
                {
                    Id = paymentId,
                    Channel = PaymentChannels.Wallet,
                    // At most one wallet payment per order: it pays all that is due, and a paid order is never pending again.
                    Reference = order.Id.ToString(),
                    AmountCents = due,
                    AppliedCents = due,
                    Currency = order.Currency,
                    ReceivedAt = now,
                    Status = ReceiptStatuses.Matched,
                    OrderId = order.Id,
                    CreatedAt = now,
                });
                order.PaidCents += due;
            }
            MarkPaid(order, now, clientIp);
            await db.SaveChangesAsync(cancellationToken);
            return new WalletPaymentOutcome(WalletPaymentStatus.Paid, order);
        }, outcome => outcome.Status == WalletPaymentStatus.Paid, cancellationToken);

    /// <summary>The order's row, locked until the transaction ends: every change of an order's money serialises here.</summary>
    public Task<Order?> LockOrderAsync(Guid orderId, CancellationToken cancellationToken) =>
        db.Orders.FromSql($"SELECT * FROM orders WHERE id = {orderId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Money an order holds but can no longer use (it expired or was cancelled) goes to the renter's wallet, so nothing
    /// is lost; the order keeps the record of it in the ledger entry.
    /// </summary>
    public async Task ReleasePaidToWalletAsync(Order order, Guid? operatorId, string remark, CancellationToken cancellationToken)
    {
        if (order.PaidCents <= 0)
            return;
        await ledger.PostAsync(order.UserId, new LedgerPosting(LedgerEntryTypes.Overpayment, order.PaidCents)
        {
            OrderId = order.Id,
            OperatorId = operatorId,
            Remark = remark,
        }, cancellationToken);
        order.PaidCents = 0;
    }

    /// <summary>
    /// Cancels an unpaid (pending) order the caller has locked: money it already received goes to the wallet. The one
    /// cancel of admins and of distribution's withdrawn serial purchases.
    /// </summary>
    public async Task CancelAsync(Order order, Guid? operatorId, string? reason, CancellationToken cancellationToken)
    {
        await ReleasePaidToWalletAsync(order, operatorId, $"Order {order.Number} cancelled with money received", cancellationToken);
        order.Status = OrderStatuses.Cancelled;
        order.CancelledAt = clock.GetUtcNow();
        if (reason is not null)
            order.Remark = reason;
    }

    private void MarkPaid(Order order, DateTimeOffset now, string? clientIp)
    {
        order.Status = OrderStatuses.Paid;
        order.PaidAt = now;
        db.AfterCommit(() => FinanceMetrics.CountRevenue(order)); // the caller's transaction may still roll back
        db.AddIntegrationEvent(new OrderPaid(order.Id, order.Number, order.UserId, order.PlanId, order.Type, order.DurationDays, order.TrafficQuotaGb,
            order.PriceCents, order.Currency, now) { ClientIp = clientIp }, clock);
    }

    /// <summary>Applies a recorded payment to a locked order: the rules of every channel.</summary>
    private async Task ApplyAsync(Payment row, Order order, CancellationToken cancellationToken)
    {
        row.OrderId = order.Id;
        if (order.Status != OrderStatuses.PendingPayment)
        {
            // Late (expired, cancelled) or needless (already paid): the whole amount is the renter's, in the wallet.
            row.AppliedCents = 0;
            row.Status = ReceiptStatuses.Credited;
            row.CreditedUserId = order.UserId;
            await CreditOverpaymentAsync(order, row, row.AmountCents, $"Received for order {order.Number} while it was {order.Status}", cancellationToken);
            return;
        }

        var split = Money.Split(row.AmountCents, order.PriceCents, order.PaidCents);
        row.AppliedCents = split.AppliedCents;
        row.Status = ReceiptStatuses.Matched;
        order.PaidCents += split.AppliedCents;
        if (split.OverpaidCents > 0)
        {
            row.CreditedUserId = order.UserId;
            await CreditOverpaymentAsync(order, row, split.OverpaidCents, $"Paid beyond the price of order {order.Number}", cancellationToken);
        }
        if (order.PaidCents >= order.PriceCents)
            MarkPaid(order, clock.GetUtcNow(), clientIp: null);
    }

    private async Task CreditOverpaymentAsync(Order order, Payment row, long amountCents, string remark, CancellationToken cancellationToken) =>
        await ledger.PostAsync(order.UserId, new LedgerPosting(LedgerEntryTypes.Overpayment, amountCents)
        {
            OrderId = order.Id,
            PaymentId = row.Id,
            OperatorId = row.RecordedBy,
            Remark = remark,
        }, cancellationToken);

    /// <summary>
    /// Inserts the payment unless its (channel, reference) exists. A concurrent insert of the same key waits for the
    /// first to commit and then finds it, so of any number of identical confirmations exactly one inserts.
    /// </summary>
    private async Task<(Payment Row, bool Inserted)> InsertAsync(IncomingPayment payment, Guid? orderId, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        var reference = payment.Reference.Trim();
        var now = clock.GetUtcNow();
        var inserted = await db.Database.ExecuteSqlAsync(
            $"""
             INSERT INTO payments (id, channel, reference, amount_cents, currency, received_at, status, order_id, applied_cents, memo, payer_name,
                                   remark, recorded_by, created_at)
             VALUES ({id}, {payment.Channel}, {reference}, {payment.AmountCents}, {payment.Currency}, {payment.ReceivedAt},
                     {ReceiptStatuses.Unmatched}, {orderId}, 0, {payment.Memo}, {payment.PayerName}, {payment.Remark}, {payment.RecordedBy}, {now})
             ON CONFLICT (channel, reference) DO NOTHING
             """, cancellationToken);
        var row = await db.Payments.SingleAsync(p => p.Channel == payment.Channel && p.Reference == reference, cancellationToken);
        return (row, inserted == 1);
    }

    private Task<Payment?> LockPaymentAsync(Guid paymentId, CancellationToken cancellationToken) =>
        db.Payments.FromSql($"SELECT * FROM payments WHERE id = {paymentId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);

    private async Task<T> InTransactionAsync<T>(Func<Task<T>> work, Func<T, bool> commit, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
            return await work();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await work();
        if (commit(result))
            await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
