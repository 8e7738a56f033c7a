namespace Derp.Distribution.Api.Apis;

/// <summary>The stable <c>code</c> of every distribution problem response (each helper adds its own at the end of its block).</summary>
public static class DistributionProblemCodes
{
    // Distributors and tiers
    public const string NotADistributor = "not_a_distributor";
    public const string ApplicationPending = "application_pending";
    public const string AlreadyDistributor = "already_distributor";
    public const string ApplicationNotFound = "application_not_found";
    public const string ApplicationNotPending = "application_not_pending";
    public const string DistributorNotFound = "distributor_not_found";
    public const string DistributorNotActive = "distributor_not_active";
    public const string DistributorNotSuspended = "distributor_not_suspended";
    public const string TierNotFound = "tier_not_found";
    public const string TierExists = "tier_exists";
    public const string PayoutQrInvalid = "payout_qr_invalid";

    // Serial requests (also distributor_not_active and tier_not_found above)
    public const string PlanNotFound = "plan_not_found";
    public const string PlanRetired = "plan_retired";
    public const string RequestNotFound = "request_not_found";
    public const string RequestNotPending = "request_not_pending";
    public const string RequestNotCancellable = "request_not_cancellable";

    // Commissions and payouts
    public const string InsufficientCommission = "insufficient_commission";
    public const string PayoutBelowMinimum = "payout_below_minimum";
    public const string PayoutNotFound = "payout_not_found";
    public const string PayoutAlreadyDecided = "payout_already_decided";

    // Storefront
    public const string CardNotFound = "card_not_found";
    public const string RuleNotFound = "rule_not_found";
    public const string ApiKeyNotFound = "api_key_not_found";
    public const string DeliveryNotFound = "delivery_not_found";
    public const string InvalidApiKey = "invalid_api_key";
    public const string ApiKeyAttemptsExceeded = "api_key_attempts_exceeded";
    public const string CardTypeMismatch = "card_type_mismatch";
}
