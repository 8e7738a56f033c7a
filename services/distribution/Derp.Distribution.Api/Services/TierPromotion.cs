using Derp.Distribution.Api.Model;

namespace Derp.Distribution.Api.Services;

/// <summary>
/// The promotion rule, pure. Tiers with a turnover threshold form a ladder whose bottom rung is the lowest tier (by sort
/// order; it needs no threshold): a distributor on the ladder gets the highest tier whose threshold their turnover
/// reaches, up or down. A distributor on a tier outside the ladder (no threshold, not the lowest) was put there by
/// hand and stays.
/// </summary>
public static class TierPromotion
{
    public static string Choose(string currentTierCode, IReadOnlyList<Tier> tiers, long turnoverCents)
    {
        if (tiers.Count == 0)
            return currentTierCode;
        var bottom = tiers.OrderBy(t => t.SortOrder).ThenBy(t => t.Code, StringComparer.Ordinal).First();
        var ladder = tiers.Where(t => t.PromotionTurnoverCents is not null || t.Code == bottom.Code).ToList();
        if (ladder.All(t => t.Code != currentTierCode))
            return currentTierCode;
        return ladder.Where(t => t.Code == bottom.Code || t.PromotionTurnoverCents <= turnoverCents)
            .OrderByDescending(t => t.SortOrder).ThenByDescending(t => t.Code, StringComparer.Ordinal).First().Code;
    }
}
