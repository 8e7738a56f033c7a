using Derp.Distribution.Api.Services;

namespace Derp.Distribution.UnitTests;

public sealed class CommissionMathTests
{
    [Theory]
    [InlineData(1000, 10_000, 1_000)] // gold 10 % of 100.00
    [InlineData(1500, 10_000, 1_500)] // white gold 15 %
    [InlineData(2000, 10_000, 2_000)] // platinum 20 %
    [InlineData(1000, 2_990, 299)]
    [InlineData(1500, 2_990, 449)] // 448.5 -> 449
    [InlineData(2000, 2_990, 598)]
    [InlineData(1000, 3_333, 333)] // 333.3 -> 333
    [InlineData(1500, 3_333, 500)] // 499.95 -> 500
    [InlineData(2000, 3_333, 667)] // 666.6 -> 667
    [InlineData(1000, 0, 0)]
    public void Every_default_tier_earns_its_rate_rounded_half_up(int rateBasisPoints, long baseCents, long expected) =>
        CommissionMath.Amount(baseCents, rateBasisPoints).ShouldBe(expected);

    [Theory]
    [InlineData(1000, 5, 1)] // 0.5 fen exactly -> 1
    [InlineData(1000, 15, 2)] // 1.5 -> 2
    [InlineData(1000, 25, 3)] // 2.5 -> 3 (half up, not to even)
    [InlineData(1000, 4, 0)] // 0.4 -> 0
    [InlineData(1500, 10, 2)] // 1.5 -> 2
    [InlineData(2000, 25, 5)]
    [InlineData(1, 5_000, 1)] // 0.5 -> 1
    [InlineData(1, 4_999, 0)] // 0.4999 -> 0
    public void Exactly_half_a_fen_rounds_up(int rateBasisPoints, long baseCents, long expected) =>
        CommissionMath.Amount(baseCents, rateBasisPoints).ShouldBe(expected);

    [Fact]
    public void Rates_and_bases_outside_their_range_are_refused()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => CommissionMath.Amount(-1, 1000));
        Should.Throw<ArgumentOutOfRangeException>(() => CommissionMath.Amount(100, 10_001));
        Should.Throw<ArgumentOutOfRangeException>(() => CommissionMath.Amount(100, -1));
    }

    [Fact]
    public void A_large_order_does_not_overflow() =>
        CommissionMath.Amount(1_000_000_000_000, 2000).ShouldBe(200_000_000_000);

    [Fact]
    public void A_draw_takes_the_oldest_rows_and_splits_the_last()
    {
        long[] rows = [300, 500, 700];
        var taken = CommissionMath.Draw(rows, r => r, 600)!;
        taken.ShouldBe([(300L, 300L), (500L, 300L)]);
    }

    [Fact]
    public void A_draw_beyond_the_available_balance_takes_nothing() =>
        CommissionMath.Draw([300L, 500L], r => r, 801).ShouldBeNull();

    [Fact]
    public void A_refund_after_payout_makes_the_balance_negative_and_later_commission_pays_it_back_first()
    {
        // 1 000 earned and paid out; the order is refunded: a clawback of -1 000 is all that is available.
        var available = new List<long> { -1_000 };
        CommissionMath.Available(available).ShouldBe(-1_000);
        CommissionMath.Draw(available, r => r, 1).ShouldBeNull(); // no payout while the balance is not positive

        available.Add(600);
        CommissionMath.Available(available).ShouldBe(-400);
        CommissionMath.Draw(available, r => r, 1).ShouldBeNull();

        available.Add(1_500);
        CommissionMath.Available(available).ShouldBe(1_100);
        // The draw takes the clawback first: the distributor receives what is left after paying it back.
        var taken = CommissionMath.Draw(available, r => r, 1_100)!;
        taken.ShouldBe([(-1_000L, -1_000L), (600L, 600L), (1_500L, 1_500L)]);
        taken.Sum(t => t.Part).ShouldBe(1_100);

        var part = CommissionMath.Draw(available, r => r, 500)!;
        part.ShouldBe([(-1_000L, -1_000L), (600L, 600L), (1_500L, 900L)]);
        part.Sum(t => t.Part).ShouldBe(500);
    }
}
