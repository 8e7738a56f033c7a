using Derp.Distribution.Api.Model;
using Derp.Distribution.Api.Services;

namespace Derp.Distribution.UnitTests;

public sealed class TierPromotionTests
{
    private static Tier T(string code, int sortOrder, long? threshold) =>
        new() { Code = code, NameZh = code, NameEn = code, SortOrder = sortOrder, PromotionTurnoverCents = threshold };

    private static readonly IReadOnlyList<Tier> Defaults = [T("platinum", 30, 2_000_000), T("gold", 10, null), T("white_gold", 20, 500_000)];

    [Theory]
    [InlineData("gold", 0, "gold")]
    [InlineData("gold", 499_999, "gold")]
    [InlineData("gold", 500_000, "white_gold")]
    [InlineData("gold", 1_999_999, "white_gold")]
    [InlineData("gold", 2_000_000, "platinum")]
    [InlineData("platinum", 10, "gold")]
    [InlineData("platinum", 600_000, "white_gold")]
    [InlineData("white_gold", 3_000_000, "platinum")]
    public void The_highest_tier_whose_threshold_the_turnover_reaches_up_or_down(string current, long turnover, string expected) =>
        TierPromotion.Choose(current, Defaults, turnover).ShouldBe(expected);

    [Fact]
    public void A_tier_outside_the_ladder_set_by_hand_stays() =>
        TierPromotion.Choose("diamond", [.. Defaults, T("diamond", 40, null)], 0).ShouldBe("diamond");

    [Fact]
    public void The_lowest_tier_is_the_floor_even_with_a_threshold() =>
        TierPromotion.Choose("white_gold", [T("gold", 10, 100_000), T("white_gold", 20, 500_000)], 0).ShouldBe("gold");

    [Fact]
    public void No_tiers_changes_nothing() => TierPromotion.Choose("gold", [], 1_000_000).ShouldBe("gold");
}
