namespace Derp.Servers.Api.Services;

/// <summary>A time range of a chart and the step its samples are averaged over.</summary>
public sealed record ChartWindow(DateTimeOffset From, DateTimeOffset To, TimeSpan Step);

/// <summary>
/// Picks the range and step of a host or fleet chart. Without a range the chart covers the last day, or less when the
/// samples begin later (a host registered an hour ago draws an hour, not a dot at the right end of an empty day);
/// without a step, one that gives about <see cref="TargetPoints"/> points, rounded to a step a reader recognises.
/// </summary>
public static class ChartRange
{
    public const int TargetPoints = 120;
    public const int MaxPoints = 2000;
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(31);
    public static readonly TimeSpan DefaultRange = TimeSpan.FromHours(24);
    /// <summary>A chart never covers less than this: a few samples spread over a readable width.</summary>
    public static readonly TimeSpan MinDefaultRange = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan MinStep = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxStep = TimeSpan.FromDays(1);

    private static readonly TimeSpan[] NiceSteps =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15),
        TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(3), TimeSpan.FromHours(6),
        TimeSpan.FromHours(12), TimeSpan.FromDays(1),
    ];

    /// <summary>The smallest recognisable step that keeps <paramref name="range"/> within about <see cref="TargetPoints"/> points.</summary>
    public static TimeSpan Fit(TimeSpan range)
    {
        var wanted = range / TargetPoints;
        return NiceSteps.FirstOrDefault(s => s >= wanted, MaxStep);
    }

    /// <summary>
    /// The window for the query's <paramref name="from"/>, <paramref name="to"/> and <paramref name="step"/> (each
    /// optional), given when the samples begin; or the name of the field at fault and why.
    /// </summary>
    public static (ChartWindow? Window, string? Field, string? Error) Resolve(DateTimeOffset? from, DateTimeOffset? to, string? step,
        DateTimeOffset? firstSample, DateTimeOffset now)
    {
        var end = (to ?? now).ToUniversalTime();
        var start = from?.ToUniversalTime() ?? end - DefaultRange;
        if (from is null && firstSample is { } first && first > start)
            start = first < end - MinDefaultRange ? first : end - MinDefaultRange;
        if (start >= end || end - start > MaxRange)
            return (null, "from", "The range must be positive and at most 31 days.");
        var bucket = Fit(end - start);
        if (step is not null && (!TimeSpan.TryParse(step, System.Globalization.CultureInfo.InvariantCulture, out bucket) || bucket < MinStep || bucket > MaxStep))
            return (null, "step", "Step is a time span between 00:01:00 and 1.00:00:00.");
        if ((end - start) / bucket > MaxPoints)
            return (null, "step", $"At most {MaxPoints} points: choose a larger step.");
        return (new ChartWindow(start, end, bucket), null, null);
    }

    /// <summary>
    /// The start of the step <paramref name="at"/> falls in. Steps are counted from the Unix epoch, not from the window's
    /// start: buckets begin on whole minutes and hours, and a sample stored to the microsecond never slips into the
    /// bucket before the one its instant names.
    /// </summary>
    public static DateTimeOffset BucketOf(ChartWindow window, DateTimeOffset at) =>
        DateTimeOffset.UnixEpoch + window.Step * Math.Floor((at - DateTimeOffset.UnixEpoch) / window.Step);
}
