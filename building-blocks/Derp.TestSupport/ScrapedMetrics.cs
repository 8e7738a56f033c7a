using System.Globalization;

namespace Derp.TestSupport;

/// <summary>Reads a service's /metrics the way Prometheus does, for tests that check a figure moved.</summary>
public sealed class ScrapedMetrics(string text)
{
    public string Text { get; } = text;

    public static async Task<ScrapedMetrics> ReadAsync(HttpClient client) => new(await client.GetStringAsync("/metrics"));

    /// <summary>
    /// The sum of the samples of <paramref name="name"/> whose labels include every one of <paramref name="labels"/>
    /// (written <c>key="value"</c>); 0 when there is none.
    /// </summary>
    public double Value(string name, params string[] labels) =>
        Text.Split('\n')
            .Where(line => line.StartsWith(name + " ", StringComparison.Ordinal) || line.StartsWith(name + "{", StringComparison.Ordinal))
            .Where(line => labels.All(label => LabelsOf(line).Contains(label, StringComparer.Ordinal)))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    public bool Has(string name) => Text.Split('\n').Any(line => line.StartsWith(name + " ", StringComparison.Ordinal) || line.StartsWith(name + "{", StringComparison.Ordinal));

    private static string[] LabelsOf(string line)
    {
        var open = line.IndexOf('{', StringComparison.Ordinal);
        var close = line.LastIndexOf('}');
        return open < 0 || close < open ? [] : line[(open + 1)..close].Split(',');
    }
}
