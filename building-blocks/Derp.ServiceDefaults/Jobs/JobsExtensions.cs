using Derp.ServiceDefaults.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Derp.ServiceDefaults.Jobs;

public static class JobsExtensions
{
    /// <summary>
    /// Quartz with a clustered PostgreSQL job store in the service's own database: each trigger fires on exactly one
    /// replica, and a replica that dies hands its jobs to the others.
    /// </summary>
    public static WebApplicationBuilder AddDerpJobs(this WebApplicationBuilder builder, Action<IQuartzBuilder> configureJobs)
    {
        var connectionString = builder.Configuration.GetConnectionString(Persistence.DatabaseExtensions.ConnectionStringName)
            ?? throw new InvalidOperationException("ConnectionStrings:Database is not configured.");
        if (!builder.Configuration.GetValue("Jobs:Enabled", true))
            return builder;

        builder.Services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(scheduler =>
            {
                scheduler.InstanceName = builder.Environment.ApplicationName;
                scheduler.GenerateInstanceId = true;
            });
            quartz.UsePersistentStore(store =>
            {
                store.UsePostgres(connectionString);
                store.UseClustering(_ => { });
                store.UseSystemTextJsonSerializer(_ => { });
                store.ProvisionSchema();
            });
            quartz.AddJobListener<JobRunsListener>();
            configureJobs(quartz);
        });
        builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return builder;
    }
}
