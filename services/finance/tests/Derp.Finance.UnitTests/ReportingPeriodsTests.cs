using Derp.Finance.Api.Services;

namespace Derp.Finance.UnitTests;

public sealed class ReportingPeriodsTests
{
    private static readonly TimeZoneInfo Shanghai = ReportingPeriods.Zone("Asia/Shanghai");

    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void A_month_starts_at_midnight_in_the_reporting_zone_not_in_utc()
    {
        // 2026-11-30 17:30 UTC is 2026-12-01 01:30 in Beijing: December there.
        var paidAt = Utc(2026, 11, 30, 17, 30);

        ReportingPeriods.LabelOf(paidAt, StatsGroupings.Month, Shanghai).ShouldBe("2026-12");
        ReportingPeriods.StartOf(paidAt, StatsGroupings.Month, Shanghai).ShouldBe(Utc(2026, 11, 30, 16));
        ReportingPeriods.NextStart(Utc(2026, 11, 30, 16), StatsGroupings.Month, Shanghai).ShouldBe(Utc(2026, 12, 31, 16));
    }

    [Fact]
    public void The_last_instant_before_local_midnight_belongs_to_the_old_day()
    {
        ReportingPeriods.LabelOf(Utc(2026, 3, 1, 15, 59), StatsGroupings.Day, Shanghai).ShouldBe("2026-03-01");
        ReportingPeriods.LabelOf(Utc(2026, 3, 1, 16, 0), StatsGroupings.Day, Shanghai).ShouldBe("2026-03-02");
    }

    [Fact]
    public void Months_of_different_lengths_and_a_year_end_follow_the_calendar()
    {
        var periods = ReportingPeriods.Between(Utc(2027, 12, 15), Utc(2028, 3, 2), StatsGroupings.Month, Shanghai);

        periods.Select(p => p.Label).ShouldBe(["2027-12", "2028-01", "2028-02", "2028-03"]);
        periods[2].Start.ShouldBe(Utc(2028, 1, 31, 16));
        periods[2].End.ShouldBe(Utc(2028, 2, 29, 16)); // 2028 is a leap year
        periods.Zip(periods.Skip(1)).ShouldAllBe(pair => pair.First.End == pair.Second.Start);
    }

    [Fact]
    public void Days_cover_the_range_without_gaps_and_stop_before_its_end()
    {
        var periods = ReportingPeriods.Between(Utc(2026, 1, 1, 20), Utc(2026, 1, 4, 16), StatsGroupings.Day, Shanghai);

        // 2026-01-01 20:00 UTC is already the 2nd in Beijing; the 4th 16:00 UTC is the first instant of the 5th.
        periods.Select(p => p.Label).ShouldBe(["2026-01-02", "2026-01-03", "2026-01-04"]);
    }

    [Fact]
    public void Shifting_back_whole_months_lands_on_month_starts()
    {
        var start = ReportingPeriods.StartOf(Utc(2026, 3, 31, 12), StatsGroupings.Month, Shanghai);

        ReportingPeriods.Shift(start, StatsGroupings.Month, Shanghai, -11).ShouldBe(Utc(2025, 3, 31, 16)); // 2025-04-01 in Beijing
    }

    [Fact]
    public void Bucketing_sums_and_counts_per_local_period()
    {
        var buckets = ReportingPeriods.Bucket(
            [(Utc(2026, 1, 31, 15), 3_000L), (Utc(2026, 1, 31, 16), 500L), (Utc(2026, 2, 10), 250L), (Utc(2026, 1, 2), -100L)],
            StatsGroupings.Month, Shanghai);

        buckets["2026-01"].ShouldBe((2_900L, 2));
        buckets["2026-02"].ShouldBe((750L, 2));
    }

    [Fact]
    public void A_zone_with_daylight_saving_starts_its_day_at_local_midnight()
    {
        var newYork = ReportingPeriods.Zone("America/New_York");

        // 2026-03-08 is the day the clocks go forward: midnight is still 05:00 UTC, the next day starts at 04:00 UTC.
        var day = ReportingPeriods.StartOf(Utc(2026, 3, 8, 12), StatsGroupings.Day, newYork);
        day.ShouldBe(Utc(2026, 3, 8, 5));
        ReportingPeriods.NextStart(day, StatsGroupings.Day, newYork).ShouldBe(Utc(2026, 3, 9, 4));
    }
}
