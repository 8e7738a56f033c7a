using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.IntegrationEvents;
using Derp.Finance.Api.Jobs;
using Derp.Finance.Api.Services;
using Derp.Finance.Api.Services.Payments;
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
            bus.AddConsumer<SerialRedeemedConsumer>();
            bus.AddConsumer<SerialPurchaseApprovedConsumer>();
            bus.AddConsumer<SerialPurchaseCancelledConsumer>();
            bus.AddConsumer<SerialPurchaseIssuedConsumer>();
            bus.AddConsumer<CommissionMovedToWalletConsumer>();
        });
        builder.AddDerpJobs(quartz =>
        {
            quartz.ScheduleJob<OrderExpiryJob>(trigger => trigger.WithIdentity("finance-order-expiry-every-minute").WithCronSchedule("0 * * * * ?"),
                job => job.WithIdentity(OrderExpiryJob.Key));
            quartz.ScheduleJob<PlanAnnouncementJob>(trigger => trigger.WithIdentity("finance-plan-announcement")
                .WithCronSchedule(builder.Configuration["Finance:PlanAnnouncementCron"] ?? "0 5/10 * * * ?"),
                job => job.WithIdentity(PlanAnnouncementJob.Key));
        });

        builder.Services.AddOptions<FinanceOptions>().Bind(builder.Configuration.GetSection(FinanceOptions.Section));
        builder.Services.AddScoped<Ledger>();
        builder.Services.AddScoped<OrderPayments>();
        builder.Services.AddScoped<OrderExpiryJob>();
        builder.Services.AddScoped<PlanAnnouncementJob>();
        builder.Services.AddHostedService<PlanSeeder>();
        builder.Services.AddFinanceGauges();
        builder.Services.AddValidatorsFrom(typeof(Extensions).Assembly);
        builder.Services.AddOptions<ReportingOptions>().Bind(builder.Configuration.GetSection(FinanceOptions.Section))
            .Validate(o => o.HasKnownZone(), "Finance:ReportingTimeZone must be an IANA time zone this machine knows.").ValidateOnStart();

        // Provider notifications (ADR-018): off unless configured; a configured one must be usable or the service stops.
        builder.Services.AddPaymentProviders(builder.Configuration);
        return builder;
    }
}
