using Quartz;

namespace Derp.ServiceDefaults.Metrics;

/// <summary>
/// Counts every Quartz job execution of every service by job and result, and times it
/// (<c>derp_job_runs_total{quartz_job,result}</c>, <c>derp_job_duration_seconds{quartz_job}</c>).
/// </summary>
public sealed class JobRunsListener : IJobListener
{
    public string Name => "derp-job-runs";

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        var job = PlatformMetrics.Tag("quartz_job", context.JobDetail.Key.Name);
        PlatformMetrics.JobRuns.Add(1, job, PlatformMetrics.Tag("result", jobException is null ? "succeeded" : "failed"));
        PlatformMetrics.JobDuration.Record(context.JobRunTime.TotalSeconds, job);
        return ValueTask.CompletedTask;
    }
}
