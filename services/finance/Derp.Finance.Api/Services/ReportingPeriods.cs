using System.Globalization;

namespace Derp.Finance.Api.Services;

public static class StatsGroupings
{
    public const string Day = "day";
    public const string Month = "month";

    public static readonly IReadOnlyList<string> All = [Day, Month];
}

/// <summary>One day or month of the reporting zone, as the instants [<see cref="Start"/>, <see cref="End"/>).</summary>
public sealed record ReportingPeriod(string Label, DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// Days and months as the operator counts them: in the reporting time zone (Asia/Shanghai by default), not in UTC, so
/// an order paid at 00:30 in Beijing on the 1st belongs to the new month although it is still the old one in UTC.
/// </summary>
public static class ReportingPeriods
{
    // Instants come back in UTC: that is what PostgreSQL's timestamptz parameters take, and the label says the local date.

    /// <summary>The start of the day or month that contains <paramref name="instant"/>, in <paramref name="zone"/>.</summary>
    public static DateTimeOffset StartOf(DateTimeOffset instant, string grouping, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var start = grouping == StatsGroupings.Month ? new DateTime(local.Year, local.Month, 1) : local.Date;
        return AtLocal(start, zone);
    }

    /// <summary>The start of the period after the one that starts at <paramref name="periodStart"/>.</summary>
    public static DateTimeOffset NextStart(DateTimeOffset periodStart, string grouping, TimeZoneInfo zone) => Shift(periodStart, grouping, zone, 1);

    /// <summary>The start of the period <paramref name="periods"/> away (negative: earlier) from the one that starts at <paramref name="periodStart"/>.</summary>
    public static DateTimeOffset Shift(DateTimeOffset periodStart, string grouping, TimeZoneInfo zone, int periods)
    {
        var local = TimeZoneInfo.ConvertTime(periodStart, zone).DateTime;
        return AtLocal(grouping == StatsGroupings.Month ? local.AddMonths(periods) : local.AddDays(periods), zone);
    }

    /// <summary>"2026-11-23" for a day, "2026-11" for a month, in <paramref name="zone"/>.</summary>
    public static string LabelOf(DateTimeOffset instant, string grouping, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString(grouping == StatsGroupings.Month ? "yyyy-MM" : "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Every period that overlaps [<paramref name="from"/>, <paramref name="to"/>), in order.</summary>
    public static IReadOnlyList<ReportingPeriod> Between(DateTimeOffset from, DateTimeOffset to, string grouping, TimeZoneInfo zone)
    {
        var periods = new List<ReportingPeriod>();
        for (var start = StartOf(from, grouping, zone); start < to; start = NextStart(start, grouping, zone))
            periods.Add(new ReportingPeriod(LabelOf(start, grouping, zone), start, NextStart(start, grouping, zone)));
        return periods;
    }

    /// <summary>Sums values per period label; instants outside [from, to) are the caller's to leave out.</summary>
    public static Dictionary<string, (long Sum, int Count)> Bucket(IEnumerable<(DateTimeOffset At, long Value)> values, string grouping, TimeZoneInfo zone)
    {
        var buckets = new Dictionary<string, (long Sum, int Count)>();
        foreach (var (at, value) in values)
        {
            var label = LabelOf(at, grouping, zone);
            var (sum, count) = buckets.GetValueOrDefault(label);
            buckets[label] = (sum + value, count + 1);
        }
        return buckets;
    }

    /// <summary>The reporting zone by its IANA id; throws at startup rather than reporting in a zone nobody chose.</summary>
    public static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    // Midnight that a daylight-saving change skips does not exist in the zone: count from the first instant that does.
    private static DateTimeOffset AtLocal(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(unspecified))
            unspecified = unspecified.AddMinutes(30);
        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified)).ToUniversalTime();
    }
}

/// <summary>Bound to the <c>Finance</c> section beside <see cref="FinanceOptions"/>.</summary>
public sealed class ReportingOptions
{
    /// <summary>The IANA zone whose days and months the statistics count in; the operator is in China.</summary>
    public string ReportingTimeZone { get; set; } = "Asia/Shanghai";

    public bool HasKnownZone() => TimeZoneInfo.TryFindSystemTimeZoneById(ReportingTimeZone, out _);
}
