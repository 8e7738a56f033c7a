using Derp.Distribution.Api.Apis;
using Derp.Distribution.Api.Infrastructure;
using Derp.Distribution.Api.IntegrationEvents;
using Derp.Distribution.Api.Jobs;
using Derp.Distribution.Api.Services;
using Derp.ServiceDefaults.Redis;
using Quartz;
using Derp.ServiceDefaults.Jobs;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Persistence;
using Derp.ServiceDefaults.Problems;

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
            bus.AddConsumer<PlanChangedConsumer>();
            bus.AddConsumer<SerialPurchasePaidConsumer>();
            bus.AddConsumer<DistributorSerialsIssuedConsumer>();
            bus.AddConsumer<StockSerialRedeemedConsumer>();

            // Attribution, commissions, payouts
            bus.AddConsumer<AttributeRenterConsumer>();
            bus.AddConsumer<EarnCommissionConsumer>();
            bus.AddConsumer<ReverseCommissionConsumer>();

            // Storefront
        });
        builder.AddDerpJobs(quartz =>
        {
            // Each area schedules its jobs here.
            quartz.ScheduleJob<RequestExpiryJob>(trigger => trigger.WithIdentity("distribution-request-expiry-every-minute").WithCronSchedule("0 * * * * ?"),
                job => job.WithIdentity(RequestExpiryJob.Key));

            // Storefront: delayed deliveries become due (durable: the rows wait in the database, ADR-023).
            quartz.ScheduleJob<DelayedDeliveryJob>(
                trigger => trigger.WithIdentity("storefront-delayed-deliveries-every-10-seconds").WithCronSchedule("0/10 * * * * ?"),
                job => job.WithIdentity(DelayedDeliveryJob.Key));
            // Distributors and tiers: promotion rules once a day (03:30 UTC, after the day's payments settled).
            quartz.ScheduleJob<TierPromotionJob>(trigger => trigger.WithIdentity("distribution-tier-promotion-daily").WithCronSchedule("0 30 3 * * ?"),
                job => job.WithIdentity(TierPromotionJob.Key));
            quartz.ScheduleJob<CommissionAvailabilityJob>(trigger => trigger.WithIdentity("distribution-commission-availability-every-10-minutes")
                .WithCronSchedule("0 0/10 * * * ?"), job => job.WithIdentity(CommissionAvailabilityJob.Key));
        });

        // Distributors and tiers
        builder.Services.AddDistributionGauges();
        builder.Services.AddValidatorsFrom(typeof(Extensions).Assembly);
        builder.Services.AddOptions<PromotionOptions>().Bind(builder.Configuration.GetSection(PromotionOptions.Section));
        builder.Services.AddScoped<TierPromotionJob>();
        builder.Services.AddHostedService<TierSeeder>();

        // Serial requests
        builder.Services.AddOptions<SerialRequestOptions>().Bind(builder.Configuration.GetSection(SerialRequestOptions.Section));
        builder.Services.AddScoped<RequestExpiryJob>();

        // Attribution, commissions, payouts
        builder.Services.AddScoped<CommissionAccount>();
        builder.Services.AddScoped<CommissionAvailabilityJob>();

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
