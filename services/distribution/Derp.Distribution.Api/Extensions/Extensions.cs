using Derp.Distribution.Api.Infrastructure;
using Derp.Distribution.Api.Jobs;
using Derp.Distribution.Api.Services;
using Derp.ServiceDefaults.Redis;
using Quartz;
using Derp.ServiceDefaults.Jobs;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Persistence;

namespace Derp.Distribution.Api.Extensions;

public static class Extensions
{
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddDerpDatabase<DistributionContext>();
        builder.AddDerpMessaging<DistributionContext>(bus =>
        {
            // Distributors and tiers

            // Serial requests

            // Attribution, commissions, payouts

            // Storefront
        });
        builder.AddDerpJobs(quartz =>
        {
            // Each area schedules its jobs here.

            // Storefront: delayed deliveries become due (durable: the rows wait in the database, ADR-023).
            quartz.ScheduleJob<DelayedDeliveryJob>(
                trigger => trigger.WithIdentity("storefront-delayed-deliveries-every-10-seconds").WithCronSchedule("0/10 * * * * ?"),
                job => job.WithIdentity(DelayedDeliveryJob.Key));
        });

        // Distributors and tiers

        // Serial requests

        // Attribution, commissions, payouts

        // Storefront
        builder.AddDerpRedis();
        builder.Services.AddOptions<StorefrontOptions>().Bind(builder.Configuration.GetSection(StorefrontOptions.Section));
        builder.Services.AddStorefrontApiClient();
        builder.Services.AddScoped<StorefrontApiCaller>();
        builder.Services.AddScoped<StorefrontDeliveryEngine>();
        builder.Services.AddScoped<StorefrontKeys>();

        return builder;
    }
}
