using Derp.Distribution.Api.Services;

namespace Derp.Distribution.UnitTests;

public sealed class PricingTests
{
    [Theory]
    // Default tiers: gold 10 %, white-gold 15 %, platinum 20 % off a 30.00 plan.
    [InlineData(3_000, 1, 1_000, 2_700)]
    [InlineData(3_000, 1, 1_500, 2_550)]
    [InlineData(3_000, 1, 2_000, 2_400)]
    [InlineData(3_000, 100, 1_000, 270_000)]
    [InlineData(3_000, 100, 1_500, 255_000)]
    [InlineData(3_000, 100, 2_000, 240_000)]
    // 9.99 × 7: 6 993 fen before the discount.
    [InlineData(999, 7, 1_000, 6_294)]  // 6 293.7 → 6 294
    [InlineData(999, 7, 1_500, 5_944)]  // 5 944.05 → 5 944
    [InlineData(999, 7, 2_000, 5_594)]  // 5 594.4 → 5 594
    public void Every_default_tier_discounts_by_its_rate(long unitPriceCents, int quantity, int rateBasisPoints, long expectedCents) =>
        Pricing.DiscountedTotalCents(unitPriceCents, quantity, rateBasisPoints).ShouldBe(expectedCents);

    [Theory]
    [InlineData(5, 1, 1_000, 5)]    // 4.5 fen → 5 (exactly half: up)
    [InlineData(15, 1, 1_000, 14)]  // 13.5 → 14
    [InlineData(25, 1, 2_000, 20)]  // 20.0 exact
    [InlineData(1, 1, 5_000, 1)]    // 0.5 → 1
    [InlineData(3, 1, 5_000, 2)]    // 1.5 → 2
    [InlineData(1, 1, 4_999, 1)]    // 0.5001 → 1
    [InlineData(1, 1, 5_001, 0)]    // 0.4999 → 0
    public void Rounds_half_up_to_the_fen(long unitPriceCents, int quantity, int rateBasisPoints, long expectedCents) =>
        Pricing.DiscountedTotalCents(unitPriceCents, quantity, rateBasisPoints).ShouldBe(expectedCents);

    [Fact]
    public void No_discount_and_full_discount_are_exact()
    {
        Pricing.DiscountedTotalCents(3_000, 3, 0).ShouldBe(9_000);
        Pricing.DiscountedTotalCents(3_000, 3, 10_000).ShouldBe(0);
    }

    [Fact]
    public void Large_quantities_and_prices_do_not_overflow()
    {
        // 100 000 000.00 × 10 000 × 8 000 exceeds a long before the division; the result does not.
        Pricing.DiscountedTotalCents(10_000_000_000, 10_000, 2_000).ShouldBe(80_000_000_000_000);
        Pricing.DiscountedTotalCents(long.MaxValue / 10_000, 10_000, 0).ShouldBe(long.MaxValue / 10_000 * 10_000);
    }

    [Fact]
    public void A_total_beyond_a_long_is_refused_not_wrapped() =>
        Should.Throw<OverflowException>(() => Pricing.DiscountedTotalCents(long.MaxValue, 10_000, 0));

    [Theory]
    [InlineData(-1, 1, 0)]
    [InlineData(1, -1, 0)]
    [InlineData(1, 1, -1)]
    [InlineData(1, 1, 10_001)]
    public void Out_of_range_arguments_are_refused(long unitPriceCents, int quantity, int rateBasisPoints) =>
        Should.Throw<ArgumentOutOfRangeException>(() => Pricing.DiscountedTotalCents(unitPriceCents, quantity, rateBasisPoints));
}
