using System.Diagnostics.Metrics;

namespace Derp.ServiceDefaults.Metrics;

/// <summary>
/// The figures every service reports the same way, counted by the building blocks that see the event: consumer
/// failures (<see cref="ConsumerFailureObserver"/>), job runs (<see cref="JobRunsListener"/>) and mails
/// (the SMTP sender). Process-wide: counters only ever grow, so a process hosting several services sums them.
/// </summary>
public static class PlatformMetrics
{
    public const string MeterName = "Derp.Platform";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> ConsumerFailures = Meter.CreateCounter<long>("derp.consumer.failures",
        description: "Messages a consumer failed to handle, by consumer and message type (what exhausts its retries lands in the <queue>_error queue).");

    public static readonly Counter<long> JobRuns = Meter.CreateCounter<long>("derp.job.runs",
        description: "Quartz job executions by job and result (succeeded|failed).");

    public static readonly Histogram<double> JobDuration = Meter.CreateHistogram<double>("derp.job.duration", unit: "s",
        description: "How long each Quartz job execution took.");

    public static readonly Counter<long> Mails = Meter.CreateCounter<long>("derp.mails",
        description: "Mails handed to SMTP by kind (template) and result (sent|failed).");

    public static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);
}
