namespace Derp.Distribution.Api.Apis;

/// <summary>The stable <c>code</c> of every distribution problem response (each helper adds its own at the end of its block).</summary>
public static class DistributionProblemCodes
{
    // Distributors and tiers
    public const string NotADistributor = "not_a_distributor";

    // Serial requests

    // Commissions and payouts
    public const string InsufficientCommission = "insufficient_commission";
    public const string PayoutBelowMinimum = "payout_below_minimum";
    public const string PayoutNotFound = "payout_not_found";
    public const string PayoutAlreadyDecided = "payout_already_decided";

    // Storefront
}
