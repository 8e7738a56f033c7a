using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.IntegrationEvents;
using Derp.Finance.Api.Jobs;
using Derp.Finance.Api.Services;
using Derp.ServiceDefaults.Jobs;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Persistence;
using Derp.ServiceDefaults.Problems;
using Quartz;

namespace Derp.Finance.Api.Extensions;

public static class Extensions
{
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddDerpDatabase<FinanceContext>();
        builder.AddDerpMessaging<FinanceContext>(bus =>
        {
            bus.AddConsumer<UserRegisteredConsumer>();
            bus.AddConsumer<RentalActivatedConsumer>();
            bus.AddConsumer<RentalExtendedConsumer>();
            bus.AddConsumer<RentalExpiredConsumer>();
            bus.AddConsumer<UserDeregisteredConsumer>();
        });
        builder.AddDerpJobs(quartz =>
        {
            quartz.ScheduleJob<OrderExpiryJob>(trigger => trigger.WithIdentity("finance-order-expiry-every-minute").WithCronSchedule("0 * * * * ?"),
                job => job.WithIdentity(OrderExpiryJob.Key));
        });

        builder.Services.AddOptions<FinanceOptions>().Bind(builder.Configuration.GetSection(FinanceOptions.Section));
        builder.Services.AddScoped<Ledger>();
        builder.Services.AddScoped<OrderPayments>();
        builder.Services.AddScoped<OrderExpiryJob>();
        builder.Services.AddHostedService<PlanSeeder>();
        builder.Services.AddValidatorsFrom(typeof(Extensions).Assembly);
        return builder;
    }
}
