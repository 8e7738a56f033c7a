using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Derp.ServiceDefaults.Metrics;

/// <summary>
/// Collects the built-in meters (HTTP server, runtime, Npgsql, MassTransit) and the platform's own meters
/// (names starting with "Derp") and renders them in the Prometheus text exposition format. No Prometheus
/// exporter package restores here, and this is all the exposition format needs.
/// A meter made by a host's <see cref="IMeterFactory"/> belongs to that host: when several hosts share a process
/// (tests), each one's /metrics shows its own per-host meters (HTTP, database gauges) and the process-wide static ones.
/// </summary>
public sealed class PrometheusMetrics : IDisposable
{
    private static readonly string[] MeterPrefixes =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime", "Npgsql", "MassTransit", "Derp"];

    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
    private static readonly double[] DefaultBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentSeries> _instruments = new();
    private readonly Lock _scrapeLock = new();

    public PrometheusMetrics(IMeterFactory? hostMeters = null)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!MeterPrefixes.Any(p => instrument.Meter.Name.StartsWith(p, StringComparison.Ordinal)))
                return;
            if (instrument.Meter.Scope is IMeterFactory owner && !ReferenceEquals(owner, hostMeters))
                return; // another host's meter
            var series = new InstrumentSeries(instrument, KindOf(instrument), BucketsFor(instrument));
            _instruments[instrument] = series;
            listener.EnableMeasurementEvents(instrument, series);
        };
        _listener.MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out InstrumentSeries? _);
        _listener.SetMeasurementEventCallback<double>((i, v, tags, state) => ((InstrumentSeries)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, state) => ((InstrumentSeries)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<long>((i, v, tags, state) => ((InstrumentSeries)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, state) => ((InstrumentSeries)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<short>((i, v, tags, state) => ((InstrumentSeries)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<byte>((i, v, tags, state) => ((InstrumentSeries)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<decimal>((i, v, tags, state) => ((InstrumentSeries)state!).Record((double)v, tags));
        _listener.Start();
    }

    public string Scrape()
    {
        var text = new StringBuilder(16 * 1024);
        lock (_scrapeLock)
        {
            foreach (var series in _instruments.Values.Where(s => s.Kind is InstrumentKind.ObservedTotal or InstrumentKind.ObservedValue))
                series.ClearObserved();
            _listener.RecordObservableInstruments();

            foreach (var group in _instruments.Values.GroupBy(s => s.MetricName).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var first = group.First();
                text.Append("# HELP ").Append(group.Key).Append(' ').Append(Escape(first.Instrument.Description ?? first.Instrument.Name, false)).Append('\n');
                text.Append("# TYPE ").Append(group.Key).Append(' ').Append(first.PrometheusType).Append('\n');
                foreach (var series in group)
                    series.Render(text);
            }
        }
        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private static InstrumentKind KindOf(Instrument instrument) => instrument.GetType().Name switch
    {
        "Counter`1" => InstrumentKind.Total,
        "UpDownCounter`1" => InstrumentKind.Sum,
        "Histogram`1" => InstrumentKind.Histogram,
        "ObservableCounter`1" => InstrumentKind.ObservedTotal,
        _ => InstrumentKind.ObservedValue, // ObservableGauge, ObservableUpDownCounter, Gauge: last value wins
    };

    private static double[] BucketsFor(Instrument instrument)
    {
        var advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            _ => null,
        };
        return advised ?? (instrument.Unit == "s" ? SecondsBuckets : DefaultBuckets);
    }

    internal static string Escape(string value, bool labelValue)
    {
        var escaped = value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return labelValue ? escaped.Replace("\"", "\\\"", StringComparison.Ordinal) : escaped;
    }

    internal static string SanitizeName(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' || c == ':' ? c : '_').ToArray();
        var sanitized = new string(chars);
        return char.IsAsciiDigit(sanitized[0]) ? "_" + sanitized : sanitized;
    }

    internal static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    private enum InstrumentKind { Total, Sum, Histogram, ObservedTotal, ObservedValue }

    private sealed class InstrumentSeries
    {
        private readonly ConcurrentDictionary<string, Point> _points = new(StringComparer.Ordinal);
        private readonly double[] _buckets;

        public InstrumentSeries(Instrument instrument, InstrumentKind kind, double[] buckets)
        {
            Instrument = instrument;
            Kind = kind;
            _buckets = buckets;
            var unitSuffix = instrument.Unit switch
            {
                "s" => "_seconds",
                "ms" => "_milliseconds",
                "By" => "_bytes",
                _ => "",
            };
            var name = SanitizeName(instrument.Name);
            if (unitSuffix.Length > 0 && !name.EndsWith(unitSuffix, StringComparison.Ordinal))
                name += unitSuffix;
            if (kind is InstrumentKind.Total or InstrumentKind.ObservedTotal)
                name += "_total";
            MetricName = name;
        }

        public Instrument Instrument { get; }
        public InstrumentKind Kind { get; }
        public string MetricName { get; }

        public string PrometheusType => Kind switch
        {
            InstrumentKind.Total or InstrumentKind.ObservedTotal => "counter",
            InstrumentKind.Histogram => "histogram",
            _ => "gauge",
        };

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var point = _points.GetOrAdd(Labels(tags), _ => new Point(_buckets.Length));
            lock (point)
            {
                switch (Kind)
                {
                    case InstrumentKind.Total:
                    case InstrumentKind.Sum:
                        point.Value += value;
                        break;
                    case InstrumentKind.Histogram:
                        point.Value += value;
                        point.Count++;
                        var index = Array.FindIndex(_buckets, b => value <= b);
                        point.Buckets[index < 0 ? _buckets.Length : index]++;
                        break;
                    default:
                        point.Value = value;
                        break;
                }
            }
        }

        public void ClearObserved() => _points.Clear();

        public void Render(StringBuilder text)
        {
            foreach (var (labels, point) in _points.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                lock (point)
                {
                    if (Kind != InstrumentKind.Histogram)
                    {
                        Line(text, MetricName, labels, point.Value);
                        continue;
                    }
                    long cumulative = 0;
                    for (var i = 0; i < _buckets.Length; i++)
                    {
                        cumulative += point.Buckets[i];
                        Line(text, MetricName + "_bucket", Join(labels, $"le=\"{Format(_buckets[i])}\""), cumulative);
                    }
                    Line(text, MetricName + "_bucket", Join(labels, "le=\"+Inf\""), point.Count);
                    Line(text, MetricName + "_sum", labels, point.Value);
                    Line(text, MetricName + "_count", labels, point.Count);
                }
            }
        }

        private static void Line(StringBuilder text, string name, string labels, double value)
        {
            text.Append(name);
            if (labels.Length > 0)
                text.Append('{').Append(labels).Append('}');
            text.Append(' ').Append(Format(value)).Append('\n');
        }

        private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

        private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length == 0)
                return "";
            var pairs = new List<KeyValuePair<string, object?>>(tags.Length);
            foreach (var tag in tags)
                pairs.Add(tag);
            pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            return string.Join(",", pairs.Select(p =>
                $"{SanitizeName(p.Key)}=\"{Escape(Convert.ToString(p.Value, CultureInfo.InvariantCulture) ?? "", true)}\""));
        }
    }

    private sealed class Point(int bucketCount)
    {
        public double Value;
        public long Count;
        public readonly long[] Buckets = new long[bucketCount + 1];
    }
}
