namespace Derp.Finance.Api.Apis;

/// <summary>The stable <c>code</c> of every finance problem response.</summary>
public static class FinanceProblemCodes
{
    public const string PlanNotFound = "plan_not_found";
    public const string PlanNotOnSale = "plan_not_on_sale";
    public const string RenewalNotOffered = "renewal_not_offered";
    public const string PlanSoldOut = "plan_sold_out";
    public const string TooManyOpenOrders = "too_many_open_orders";
    public const string OrderNotFound = "order_not_found";
    public const string OrderNotCancellable = "order_not_cancellable";
    public const string OrderNotPayable = "order_not_payable";
    public const string OrderNotRefundable = "order_not_refundable";
    public const string OrderNotReopenable = "order_not_reopenable";
    public const string MarkNotAllowed = "mark_not_allowed";
    public const string InsufficientBalance = "insufficient_balance";
    public const string PaymentReferenceConflict = "payment_reference_conflict";
    public const string ReceiptNotFound = "receipt_not_found";
    public const string ReceiptNotUnmatched = "receipt_not_unmatched";
    public const string PaymentAccountNotFound = "payment_account_not_found";
    public const string QrImageInvalid = "qr_image_invalid";
    public const string AccountSettled = "account_settled";
    public const string ProviderDisabled = "provider_disabled";
    public const string SignatureInvalid = "signature_invalid";
    public const string PublicDonationsOff = "public_donations_off";
    public const string NotificationMalformed = "notification_malformed";
    public const string NotificationReplayed = "notification_replayed";
    public const string ProviderAccountMismatch = "provider_account_mismatch";
    public const string NotificationUndecryptable = "notification_undecryptable";
    public const string RefundAmountInvalid = "refund_amount_invalid";
}
