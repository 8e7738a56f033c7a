using Derp.Distribution.Api.Infrastructure;
using Derp.Distribution.Api.IntegrationEvents;
using Derp.Distribution.Api.Jobs;
using Derp.Distribution.Api.Services;
using Derp.ServiceDefaults.Jobs;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Persistence;
using Derp.ServiceDefaults.Problems;
using Quartz;

namespace Derp.Distribution.Api.Extensions;

public static class Extensions
{
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddDerpDatabase<DistributionContext>();
        builder.AddDerpMessaging<DistributionContext>(bus =>
        {
            // Distributors and tiers
            bus.AddConsumer<UserRegisteredConsumer>();

            // Serial requests

            // Attribution, commissions, payouts

            // Storefront
        });
        builder.AddDerpJobs(quartz =>
        {
            // Each area schedules its jobs here.
            // Distributors and tiers: promotion rules once a day (03:30 UTC, after the day's payments settled).
            quartz.ScheduleJob<TierPromotionJob>(trigger => trigger.WithIdentity("distribution-tier-promotion-daily").WithCronSchedule("0 30 3 * * ?"),
                job => job.WithIdentity(TierPromotionJob.Key));
        });

        // Distributors and tiers
        builder.Services.AddValidatorsFrom(typeof(Extensions).Assembly);
        builder.Services.AddOptions<PromotionOptions>().Bind(builder.Configuration.GetSection(PromotionOptions.Section));
        builder.Services.AddScoped<TierPromotionJob>();
        builder.Services.AddHostedService<TierSeeder>();

        // Serial requests

        // Attribution, commissions, payouts

        // Storefront

        return builder;
    }
}
