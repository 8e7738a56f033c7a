namespace Derp.Distribution.Api.Apis;

/// <summary>The stable <c>code</c> of every distribution problem response (each helper adds its own at the end of its block).</summary>
public static class DistributionProblemCodes
{
    // Distributors and tiers
    public const string NotADistributor = "not_a_distributor";

    // Serial requests

    // Commissions and payouts

    // Storefront
    public const string CardNotFound = "card_not_found";
    public const string RuleNotFound = "rule_not_found";
    public const string ApiKeyNotFound = "api_key_not_found";
    public const string DeliveryNotFound = "delivery_not_found";
    public const string InvalidApiKey = "invalid_api_key";
    public const string ApiKeyAttemptsExceeded = "api_key_attempts_exceeded";
    public const string CardTypeMismatch = "card_type_mismatch";
}
