using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Derp.ServiceDefaults.Statistics;

/// <summary>One point of a chart or sparkline: the start of its bucket and the value in it (the portal's <c>{t, v}</c>).</summary>
public sealed record SeriesPoint(DateTimeOffset T, double V);

/// <summary>A figure of the operator overview: its value now and the recent history a sparkline draws.</summary>
public sealed record OverviewStat(double Value, IReadOnlyList<SeriesPoint> Points);

/// <summary>A bucket [<see cref="Start"/>, <see cref="End"/>) of a series.</summary>
public sealed record SeriesBucket(DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// The days and hours the overview endpoints of users, serials and servers count in. Days are the operator's (the
/// reporting zone, <c>Reporting:TimeZone</c>, Asia/Shanghai by default), so "today" starts at midnight in Beijing and
/// not at 08:00 there; hours are the same everywhere.
/// </summary>
public static class OverviewSeries
{
    /// <summary>Two weeks of days: enough for a weekly pattern to show in a sparkline.</summary>
    public const int Days = 14;

    public const int Hours = 24;

    public const string DefaultTimeZone = "Asia/Shanghai";

    /// <summary>The reporting zone from configuration; an unknown id falls back to the default rather than failing a page.</summary>
    public static TimeZoneInfo Zone(IConfiguration configuration) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(configuration["Reporting:TimeZone"] ?? DefaultTimeZone, out var zone) ? zone
            : TimeZoneInfo.FindSystemTimeZoneById(DefaultTimeZone);

    /// <summary>The start (in UTC) of the day in <paramref name="zone"/> that contains <paramref name="instant"/>.</summary>
    public static DateTimeOffset StartOfDay(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = DateTime.SpecifyKind(TimeZoneInfo.ConvertTime(instant, zone).Date, DateTimeKind.Unspecified);
        // A midnight that a daylight-saving change skips does not exist: the day starts at the first instant that does.
        while (zone.IsInvalidTime(local))
            local = local.AddMinutes(30);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>The last <paramref name="days"/> days of <paramref name="zone"/>, today last (its end is the end of today).</summary>
    public static IReadOnlyList<SeriesBucket> LastDays(DateTimeOffset now, TimeZoneInfo zone, int days = Days)
    {
        var today = StartOfDay(now, zone);
        var localToday = TimeZoneInfo.ConvertTime(today, zone).DateTime;
        return Enumerable.Range(0, days).Select(i =>
        {
            var day = localToday.AddDays(i - days + 1);
            return new SeriesBucket(StartOfDay(At(day, zone), zone), StartOfDay(At(day.AddDays(1), zone), zone));
        }).ToList();
    }

    /// <summary>The next <paramref name="days"/> days of <paramref name="zone"/>, today first.</summary>
    public static IReadOnlyList<SeriesBucket> NextDays(DateTimeOffset now, TimeZoneInfo zone, int days)
    {
        var localToday = TimeZoneInfo.ConvertTime(StartOfDay(now, zone), zone).DateTime;
        return Enumerable.Range(0, days).Select(i => new SeriesBucket(StartOfDay(At(localToday.AddDays(i), zone), zone),
            StartOfDay(At(localToday.AddDays(i + 1), zone), zone))).ToList();
    }

    /// <summary>The last <paramref name="hours"/> whole hours up to and including the current one.</summary>
    public static IReadOnlyList<SeriesBucket> LastHours(DateTimeOffset now, int hours = Hours)
    {
        var utc = now.ToUniversalTime();
        var current = new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
        return Enumerable.Range(0, hours).Select(i => new SeriesBucket(current.AddHours(i - hours + 1), current.AddHours(i - hours + 2))).ToList();
    }

    /// <summary>How many of <paramref name="instants"/> fall in each bucket (every bucket gets a point, zero included).</summary>
    public static IReadOnlyList<SeriesPoint> Count(IReadOnlyList<SeriesBucket> buckets, IEnumerable<DateTimeOffset> instants)
    {
        var counts = new int[buckets.Count];
        foreach (var instant in instants)
        {
            var index = IndexOf(buckets, instant);
            if (index >= 0)
                counts[index]++;
        }
        return buckets.Select((b, i) => new SeriesPoint(b.Start, counts[i])).ToList();
    }

    /// <summary>The bucket <paramref name="instant"/> falls in, or -1.</summary>
    public static int IndexOf(IReadOnlyList<SeriesBucket> buckets, DateTimeOffset instant)
    {
        for (var i = 0; i < buckets.Count; i++)
            if (instant >= buckets[i].Start && instant < buckets[i].End)
                return i;
        return -1;
    }

    /// <summary>"2026-11-23" in the zone: for logs and tests that speak of days.</summary>
    public static string Label(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset At(DateTime localDate, TimeZoneInfo zone)
    {
        var local = DateTime.SpecifyKind(localDate.Date.AddHours(12), DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
