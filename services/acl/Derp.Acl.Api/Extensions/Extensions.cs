using Derp.Acl.Api.Infrastructure;
using Derp.Acl.Api.IntegrationEvents;
using Derp.Acl.Api.Jobs;
using Derp.Acl.Api.Services;
using Derp.ServiceDefaults.Jobs;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Persistence;
using Derp.ServiceDefaults.Security;
using Quartz;

namespace Derp.Acl.Api.Extensions;

public static class Extensions
{
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddDerpDatabase<AclContext>();
        builder.AddDerpMessaging<AclContext>(bus =>
        {
            bus.AddConsumer<ContainersProvisionedConsumer>();
            bus.AddConsumer<RentalActivatedConsumer>();
            bus.AddConsumer<RentalExtendedConsumer>();
            bus.AddConsumer<RentalExpiredConsumer>();
            bus.AddConsumer<TrafficQuotaExceededConsumer>();
            bus.AddConsumer<UserDeregisteredConsumer>();
            bus.AddConsumer<DeviceRegisteredConsumer>();
            bus.AddConsumer<DeviceRemovedConsumer>();
            bus.AddConsumer<RenterAttributedConsumer>();
        });
        builder.AddDerpJobs(quartz => quartz.ScheduleJob<PolicyRotationJob>(
            trigger => trigger.WithIdentity("policy-rotation-every-10-minutes").WithCronSchedule("0 0/10 * * * ?"),
            job => job.WithIdentity(PolicyRotationJob.Key)));

        builder.Services.AddOptions<AclOptions>().Bind(builder.Configuration.GetSection(AclOptions.Section));
        builder.Services.AddSingleton<AdmissionSecret>();
        builder.Services.AddSingleton<IIpLocationResolver, NetworkTableLocationResolver>();
        builder.Services.AddSingleton<DenialLog>();
        builder.AddChangeFeedSubscriber<AdmissionView>();
        builder.Services.AddSingleton<AdmissionService>();
        builder.Services.AddScoped<PolicyGenerator>();
        builder.Services.AddScoped<PolicyRotation>();
        return builder;
    }
}
