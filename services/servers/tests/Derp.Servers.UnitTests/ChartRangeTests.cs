using Derp.Servers.Api.Services;

namespace Derp.Servers.UnitTests;

/// <summary>Issue 14: host and fleet charts pick a window and a step that draw a line, for a young fleet too.</summary>
public sealed class ChartRangeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 30, TimeSpan.Zero);

    [Theory]
    [InlineData(30, 60)]
    [InlineData(24 * 60, 15 * 60)]
    [InlineData(7 * 24 * 60, 2 * 3600)]
    [InlineData(31 * 24 * 60, 12 * 3600)]
    public void The_step_keeps_a_range_near_120_points_on_a_recognisable_step(int rangeMinutes, int stepSeconds) =>
        ChartRange.Fit(TimeSpan.FromMinutes(rangeMinutes)).ShouldBe(TimeSpan.FromSeconds(stepSeconds));

    [Fact]
    public void Without_a_range_a_young_fleet_is_charted_from_its_first_sample_and_an_old_one_over_a_day()
    {
        var (young, _, _) = ChartRange.Resolve(null, null, null, Now.AddHours(-3), Now);
        young!.From.ShouldBe(Now.AddHours(-3));
        young.Step.ShouldBe(TimeSpan.FromMinutes(2));

        var (brandNew, _, _) = ChartRange.Resolve(null, null, null, Now.AddMinutes(-2), Now);
        brandNew!.From.ShouldBe(Now - ChartRange.MinDefaultRange, "a few samples still spread over a readable width");

        var (old, _, _) = ChartRange.Resolve(null, null, null, Now.AddDays(-20), Now);
        old!.From.ShouldBe(Now.AddDays(-1));
        old.Step.ShouldBe(TimeSpan.FromMinutes(15));

        var (asked, _, _) = ChartRange.Resolve(Now.AddDays(-2), Now, null, Now.AddHours(-1), Now);
        asked!.From.ShouldBe(Now.AddDays(-2), "an explicit range is kept");
    }

    [Fact]
    public void Buckets_start_on_whole_steps_whatever_the_window_start()
    {
        var window = new ChartWindow(Now.AddMinutes(-30).AddTicks(7), Now, TimeSpan.FromMinutes(5));
        ChartRange.BucketOf(window, new DateTimeOffset(2026, 11, 23, 9, 47, 59, 999, TimeSpan.Zero))
            .ShouldBe(new DateTimeOffset(2026, 11, 23, 9, 45, 0, TimeSpan.Zero));
    }

    [Theory]
    [InlineData(null, "banana", "step")]
    [InlineData(null, "00:00:30", "step")]
    [InlineData(40, null, "from")]
    public void Windows_that_cannot_be_drawn_name_their_field(int? days, string? step, string field)
    {
        var (window, at, _) = ChartRange.Resolve(days is { } d ? Now.AddDays(-d) : null, null, step, null, Now);
        window.ShouldBeNull();
        at.ShouldBe(field);
    }
}
