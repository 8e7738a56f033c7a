namespace Derp.Contracts.Finance;

// Vocabularies: the strings finance stores, publishes and serves (ADR-013: one definition for services and portal).

public static class OrderStatuses
{
    public const string PendingPayment = "pending_payment";
    public const string Paid = "paid";
    public const string Fulfilled = "fulfilled";
    public const string Cancelled = "cancelled";
    public const string Expired = "expired";
    public const string Refunded = "refunded";

    public static readonly IReadOnlyList<string> All = [PendingPayment, Paid, Fulfilled, Cancelled, Expired, Refunded];

    /// <summary>Orders that still wait for money: a settled account has none.</summary>
    public static readonly IReadOnlyList<string> Open = [PendingPayment];
}

public static class OrderTypes
{
    /// <summary>The renter has no rental, or it was closed: the order starts one.</summary>
    public const string New = "new";

    /// <summary>The renter has a rental (running or expired, not closed): the order extends it from its current expiry.</summary>
    public const string Renewal = "renewal";

    /// <summary>A distributor buying an approved serial request (distribution's <c>SerialPurchaseApproved</c>); no rental.</summary>
    public const string SerialPurchase = "serial_purchase";

    public static readonly IReadOnlyList<string> All = [New, Renewal, SerialPurchase];

    /// <summary>Orders that buy rental time for the payer (users adds a period; distributors earn commission on them).</summary>
    public static readonly IReadOnlyList<string> Rental = [New, Renewal];
}

/// <summary>How money reached an order (or a wallet).</summary>
public static class PaymentChannels
{
    public const string Wallet = "wallet";

    /// <summary>A manual transfer to the operator's Alipay account, confirmed by an admin.</summary>
    public const string AlipayTransfer = "alipay_transfer";

    /// <summary>A manual transfer to the operator's WeChat account, confirmed by an admin.</summary>
    public const string WeChatTransfer = "wechat_transfer";

    /// <summary>An Alipay asynchronous notification (RSA2-signed).</summary>
    public const string Alipay = "alipay";

    /// <summary>A WeChat Pay API v3 notification (signed, AEAD_AES_256_GCM resource).</summary>
    public const string WeChatPay = "wechat_pay";

    /// <summary>Anything else an admin confirms (bank transfer, cash).</summary>
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All = [Wallet, AlipayTransfer, WeChatTransfer, Alipay, WeChatPay, Other];

    /// <summary>Channels an admin may confirm by hand.</summary>
    public static readonly IReadOnlyList<string> Manual = [AlipayTransfer, WeChatTransfer, Other];
}

/// <summary>The operator's receiving accounts shown on the pay page (requirements §8).</summary>
public static class PaymentAccountChannels
{
    public const string Alipay = "alipay";
    public const string WeChat = "wechat";

    public static readonly IReadOnlyList<string> All = [Alipay, WeChat];
}

public static class LedgerEntryTypes
{
    /// <summary>A balance serial's face value credited (requirements: seed 004 use type <c>points</c>).</summary>
    public const string SerialTopUp = "serial_top_up";

    /// <summary>An order paid from the wallet (negative).</summary>
    public const string OrderPayment = "order_payment";

    /// <summary>Money received beyond what an order needed, or for an order that can no longer take it.</summary>
    public const string Overpayment = "overpayment";

    /// <summary>A receipt that matched no order, credited to a chosen user's wallet by an admin.</summary>
    public const string ReceiptCredit = "receipt_credit";

    /// <summary>An order refunded to the wallet.</summary>
    public const string Refund = "refund";

    /// <summary>An admin's adjustment with a reason (either sign).</summary>
    public const string Adjustment = "adjustment";

    /// <summary>The balance given up when an admin settles a closing account by forfeit (negative).</summary>
    public const string Forfeit = "forfeit";

    /// <summary>The balance paid back by hand when an admin settles a closing account by refund (negative).</summary>
    public const string PaidOut = "paid_out";

    /// <summary>A donation serial's value, on the platform's donations account (not a renter's wallet).</summary>
    public const string Donation = "donation";

    /// <summary>A distributor's available commission moved to their wallet (distribution's <c>CommissionMovedToWallet</c>).</summary>
    public const string Commission = "commission";

    public static readonly IReadOnlyList<string> All =
        [SerialTopUp, OrderPayment, Overpayment, ReceiptCredit, Refund, Adjustment, Forfeit, PaidOut, Donation, Commission];
}

public static class RefundMethods
{
    public const string Wallet = "wallet";

    /// <summary>Paid back outside the platform (transfer, cash); recorded with the reason.</summary>
    public const string Manual = "manual";

    public static readonly IReadOnlyList<string> All = [Wallet, Manual];
}

/// <summary>Labels an admin puts on an order (requirements §5: complete, renewed, cancelled).</summary>
public static class OrderMarks
{
    /// <summary>A paid order handled by hand: fulfilled without waiting for the rental event.</summary>
    public const string Complete = "complete";

    /// <summary>A fulfilled order noted as a renewal the operator arranged.</summary>
    public const string Renewed = "renewed";

    /// <summary>An unpaid order cancelled by the operator.</summary>
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Complete, Renewed, Cancelled];
}

public static class ReceiptStatuses
{
    public const string Unmatched = "unmatched";
    public const string Matched = "matched";
    public const string Credited = "credited";

    public static readonly IReadOnlyList<string> All = [Unmatched, Matched, Credited];
}

/// <summary>Why an account is not settled (the internal settlement answer, requirements §1.4).</summary>
public static class SettlementBlockers
{
    public const string UnpaidOrder = "unpaid_order";
    public const string PaidNotFulfilled = "paid_not_fulfilled";
    public const string Balance = "balance";
    public const string UnmatchedReceipt = "unmatched_receipt";

    public static readonly IReadOnlyList<string> All = [UnpaidOrder, PaidNotFulfilled, Balance, UnmatchedReceipt];
}

public static class SettlementActions
{
    /// <summary>The balance is paid back by hand; open orders are cancelled.</summary>
    public const string Refund = "refund";

    /// <summary>The balance is given up; open orders are cancelled.</summary>
    public const string Forfeit = "forfeit";

    public static readonly IReadOnlyList<string> All = [Refund, Forfeit];
}

public static class FinanceAuditActions
{
    public const string PlanCreated = "plan_created";
    public const string PlanUpdated = "plan_updated";
    public const string PlanRetired = "plan_retired";
    public const string PaymentConfirmed = "payment_confirmed";
    public const string ReceiptRecorded = "receipt_recorded";
    public const string ReceiptMatched = "receipt_matched";
    public const string ReceiptCredited = "receipt_credited";
    public const string OrderCancelled = "order_cancelled";
    public const string OrderMarked = "order_marked";
    public const string OrderReopened = "order_reopened";
    public const string OrderRefunded = "order_refunded";
    public const string WalletAdjusted = "wallet_adjusted";
    public const string AccountSettled = "account_settled";
    public const string SettingsChanged = "settings_changed";

    public static readonly IReadOnlyList<string> All =
    [
        PlanCreated, PlanUpdated, PlanRetired, PaymentConfirmed, ReceiptRecorded, ReceiptMatched, ReceiptCredited, OrderCancelled,
        OrderMarked, OrderReopened, OrderRefunded, WalletAdjusted, AccountSettled, SettingsChanged,
    ];
}

public static class Currencies
{
    public const string Cny = "CNY";

    public static readonly IReadOnlyList<string> All = [Cny];
}
