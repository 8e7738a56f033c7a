using Derp.Distribution.Api.Apis;
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

            // Serial requests

            // Attribution, commissions, payouts
            bus.AddConsumer<AttributeRenterConsumer>();
            bus.AddConsumer<EarnCommissionConsumer>();
            bus.AddConsumer<ReverseCommissionConsumer>();

            // Storefront
        });
        builder.AddDerpJobs(quartz =>
        {
            // Each area schedules its jobs here.
            quartz.ScheduleJob<CommissionAvailabilityJob>(trigger => trigger.WithIdentity("distribution-commission-availability-every-10-minutes")
                .WithCronSchedule("0 0/10 * * * ?"), job => job.WithIdentity(CommissionAvailabilityJob.Key));
        });

        // Distributors and tiers

        // Serial requests

        // Attribution, commissions, payouts
        builder.Services.AddScoped<CommissionAccount>();
        builder.Services.AddScoped<CommissionAvailabilityJob>();
        builder.Services.AddValidatorsFrom(typeof(CommissionsApi).Assembly);

        // Storefront

        return builder;
    }
}
