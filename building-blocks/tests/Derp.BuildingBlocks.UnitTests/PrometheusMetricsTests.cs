using System.Diagnostics.Metrics;
using Derp.ServiceDefaults.Metrics;

namespace Derp.BuildingBlocks.UnitTests;

public sealed class PrometheusMetricsTests
{
    // A meter name unique to each test, so parallel tests never see each other's series.
    private static Meter NewMeter() => new($"Derp.Tests.{Guid.NewGuid():N}");

    [Fact]
    public void Counters_sum_per_label_set_and_get_a_total_suffix()
    {
        using var metrics = new PrometheusMetrics();
        using var meter = NewMeter();
        var counter = meter.CreateCounter<long>("derp.test.logins", description: "Logins.");
        counter.Add(2, new KeyValuePair<string, object?>("result", "ok"));
        counter.Add(3, new KeyValuePair<string, object?>("result", "ok"));
        counter.Add(1, new KeyValuePair<string, object?>("result", "failed"));

        var text = metrics.Scrape();

        text.ShouldContain("# TYPE derp_test_logins_total counter\n");
        text.ShouldContain("derp_test_logins_total{result=\"ok\"} 5\n");
        text.ShouldContain("derp_test_logins_total{result=\"failed\"} 1\n");
    }

    [Fact]
    public void Histograms_are_cumulative_with_sum_and_count_and_seconds_buckets()
    {
        using var metrics = new PrometheusMetrics();
        using var meter = NewMeter();
        var histogram = meter.CreateHistogram<double>("derp.test.duration", unit: "s");
        histogram.Record(0.003);
        histogram.Record(0.2);
        histogram.Record(42);

        var text = metrics.Scrape();

        text.ShouldContain("# TYPE derp_test_duration_seconds histogram");
        text.ShouldContain("derp_test_duration_seconds_bucket{le=\"0.005\"} 1\n");
        text.ShouldContain("derp_test_duration_seconds_bucket{le=\"0.25\"} 2\n");
        text.ShouldContain("derp_test_duration_seconds_bucket{le=\"10\"} 2\n");
        text.ShouldContain("derp_test_duration_seconds_bucket{le=\"+Inf\"} 3\n");
        text.ShouldContain("derp_test_duration_seconds_count 3\n");
        text.ShouldContain("derp_test_duration_seconds_sum 42.203\n");
    }

    [Fact]
    public void Observable_gauges_report_the_value_at_scrape_time()
    {
        using var metrics = new PrometheusMetrics();
        using var meter = NewMeter();
        var hosts = 3;
        meter.CreateObservableGauge("derp.test.hosts", () => new Measurement<int>(hosts, new KeyValuePair<string, object?>("status", "active")));

        metrics.Scrape().ShouldContain("derp_test_hosts{status=\"active\"} 3\n");
        hosts = 2;
        metrics.Scrape().ShouldContain("derp_test_hosts{status=\"active\"} 2\n");
    }

    [Fact]
    public void Label_values_are_escaped_and_names_sanitized()
    {
        using var metrics = new PrometheusMetrics();
        using var meter = NewMeter();
        meter.CreateCounter<int>("derp.test.odd-name").Add(1, new KeyValuePair<string, object?>("path", "a\"b\\c\nd"));

        metrics.Scrape().ShouldContain("derp_test_odd_name_total{path=\"a\\\"b\\\\c\\nd\"} 1\n");
    }

    [Fact]
    public void Meters_outside_the_platform_are_ignored()
    {
        using var metrics = new PrometheusMetrics();
        using var meter = new Meter($"SomeVendor.{Guid.NewGuid():N}");
        meter.CreateCounter<int>("vendor.secret.count").Add(1);

        metrics.Scrape().ShouldNotContain("vendor_secret_count");
    }
}
