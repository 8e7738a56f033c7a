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

    // Serial requests

    // Commissions and payouts

    // Storefront
}
