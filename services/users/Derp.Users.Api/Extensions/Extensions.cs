using Derp.ServiceDefaults.Redis;
using Derp.ServiceDefaults.Email;
using Derp.ServiceDefaults.Jobs;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Persistence;
using Derp.ServiceDefaults.Problems;
using Derp.Users.Api.Infrastructure;
using Derp.Users.Api.IntegrationEvents;
using Derp.Users.Api.Jobs;
using Derp.Users.Api.Services;
using Microsoft.Extensions.Options;
using Quartz;

namespace Derp.Users.Api.Extensions;

public static class Extensions
{
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddDerpDatabase<UsersContext>();
        builder.AddDerpRedis();
        builder.AddDerpEmail();
        builder.AddDerpMessaging<UsersContext>(bus =>
        {
            bus.AddConsumer<SerialRedeemedConsumer>();
            bus.AddConsumer<OrderPaidConsumer>();
            bus.AddConsumer<ContainersProvisionedConsumer>();
            bus.AddConsumer<AclGeneratedConsumer>();
            bus.AddConsumer<ServerRemovedConsumer>();
            bus.AddConsumer<RentalTrafficUpdatedConsumer>();
            bus.AddConsumer<TrafficQuotaExceededConsumer>();
            bus.AddConsumer<RecentSessionRevocationsRequestedConsumer>();
            bus.AddConsumer<DistributorApprovedConsumer>();
            bus.AddConsumer<DistributorSuspendedConsumer>();
        });
        builder.AddDerpJobs(quartz =>
        {
            quartz.ScheduleJob<CleanupJob>(trigger => trigger.WithIdentity("users-cleanup-daily").WithCronSchedule("0 30 3 * * ?"),
                job => job.WithIdentity(CleanupJob.Key));
            quartz.ScheduleJob<RentalExpiryJob>(trigger => trigger.WithIdentity("rental-expiry-every-minute").WithCronSchedule("0 * * * * ?"),
                job => job.WithIdentity(RentalExpiryJob.Key));
            quartz.ScheduleJob<RentalReminderJob>(trigger => trigger.WithIdentity("rental-reminders-every-15-minutes").WithCronSchedule("0 0/15 * * * ?"),
                job => job.WithIdentity(RentalReminderJob.Key));
            quartz.ScheduleJob<DeregistrationJob>(trigger => trigger.WithIdentity("deregistration-hourly").WithCronSchedule("0 10 * * * ?"),
                job => job.WithIdentity(DeregistrationJob.Key));
        });

        builder.Services.AddOptions<UsersOptions>().Bind(builder.Configuration.GetSection(UsersOptions.Section));
        builder.Services.AddOptions<AdminSeedOptions>().Bind(builder.Configuration.GetSection(AdminSeedOptions.Section));
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddSingleton<Derp.ServiceDefaults.Auth.ISessionRevocationSnapshot, SessionRevocationSnapshotFromDatabase>();
        builder.Services.AddScoped<RentalLifecycle>();
        builder.Services.AddOptions<FinanceOptions>().Bind(builder.Configuration.GetSection(FinanceOptions.Section));
        builder.Services.AddHttpClient<IAccountSettlement, FinanceSettlement>((services, client) =>
        {
            var finance = services.GetRequiredService<IOptions<FinanceOptions>>().Value;
            client.BaseAddress = finance.BaseUrl;
            client.Timeout = finance.Timeout;
        });
        builder.Services.AddSingleton<EmailDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EmailDispatcher>());
        builder.Services.AddHostedService<AdminSeeder>();
        builder.Services.AddUsersGauges();
        builder.Services.AddValidatorsFrom(typeof(Extensions).Assembly);
        return builder;
    }
}
