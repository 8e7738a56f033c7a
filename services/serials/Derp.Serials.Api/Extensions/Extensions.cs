using Derp.ServiceDefaults.Redis;
using Derp.Serials.Api.Infrastructure;
using Derp.Serials.Api.IntegrationEvents;
using Derp.Serials.Api.Jobs;
using Derp.Serials.Api.Services;
using Derp.ServiceDefaults.Jobs;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Persistence;
using Derp.ServiceDefaults.Problems;
using Derp.ServiceDefaults.Security;
using Microsoft.Extensions.Options;
using Quartz;

namespace Derp.Serials.Api.Extensions;

public static class Extensions
{
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddDerpDatabase<SerialsContext>();
        // Licence validation is the hot path: its limits are decided in memory and fail open (ADR-029); redemption's stay strict.
        builder.AddDerpRedis(rateLimits => rateLimits.LocalFirst("validate:"));
        builder.AddDerpMessaging<SerialsContext>(bus =>
        {
            bus.AddConsumer<UserRegisteredConsumer>();
            bus.AddConsumer<UserRoleChangedConsumer>();
            bus.AddConsumer<PlanChangedConsumer>();
            bus.AddConsumer<SerialBatchRequestedConsumer>();
        });
        builder.AddDerpJobs(quartz => quartz.ScheduleJob<SerialExpiryJob>(
            trigger => trigger.WithIdentity("serials-expiry-every-5-minutes").WithCronSchedule("0 0/5 * * * ?"),
            job => job.WithIdentity(SerialExpiryJob.Key)));

        builder.Services.AddOptions<SerialsOptions>().Bind(builder.Configuration.GetSection(SerialsOptions.Section));
        builder.Services.AddSingleton(sp => new SecretProtector(sp.GetRequiredService<IOptions<SerialsOptions>>().Value.EncryptionKey,
            "Serials:EncryptionKey", sp.GetRequiredService<ILogger<SecretProtector>>()));
        builder.Services.AddSingleton<ResponseSigner>();
        builder.AddChangeFeedSubscriber<LicenceView>();
        builder.AddChangeFeedSubscriber<DataKeyCache>();
        builder.Services.AddSingleton<SerialCodeSource>();
        builder.Services.AddSingleton<SerialGenerator>();
        builder.Services.AddSingleton<ValidationRecorder>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ValidationRecorder>());
        builder.Services.AddSerialsGauges();
        builder.Services.AddValidatorsFrom(typeof(Extensions).Assembly);
        return builder;
    }
}
