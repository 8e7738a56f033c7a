using Derp.Distribution.Api.Infrastructure;
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
        });

        // Distributors and tiers

        // Serial requests

        // Attribution, commissions, payouts

        // Storefront

        return builder;
    }
}
