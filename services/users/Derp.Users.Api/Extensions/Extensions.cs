using Derp.ServiceDefaults.Jobs;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Persistence;
using Derp.ServiceDefaults.Problems;
using Derp.Users.Api.Infrastructure;
using Derp.Users.Api.Jobs;
using Derp.Users.Api.Services;
using Quartz;

namespace Derp.Users.Api.Extensions;

public static class Extensions
{
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddDerpDatabase<UsersContext>();
        builder.AddDerpMessaging<UsersContext>();
        builder.AddDerpJobs(quartz => quartz.ScheduleJob<CleanupJob>(
            trigger => trigger.WithIdentity("users-cleanup-daily").WithCronSchedule("0 30 3 * * ?"),
            job => job.WithIdentity(CleanupJob.Key)));

        builder.Services.AddOptions<UsersOptions>().Bind(builder.Configuration.GetSection(UsersOptions.Section));
        builder.Services.AddOptions<AdminSeedOptions>().Bind(builder.Configuration.GetSection(AdminSeedOptions.Section));
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddHostedService<AdminSeeder>();
        builder.Services.AddValidatorsFrom(typeof(Extensions).Assembly);
        return builder;
    }
}
