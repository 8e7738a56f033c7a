namespace Derp.Distribution.Api.Apis;

/// <summary>The stable <c>code</c> of every distribution problem response (each helper adds its own at the end of its block).</summary>
public static class DistributionProblemCodes
{
    // Distributors and tiers
    public const string NotADistributor = "not_a_distributor";

    // Serial requests

    // Commissions and payouts

    // Storefront
}
