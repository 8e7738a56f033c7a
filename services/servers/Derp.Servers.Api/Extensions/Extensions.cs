using Derp.Servers.Api.Hosts;
using Derp.Servers.Api.Infrastructure;
using Derp.Servers.Api.IntegrationEvents;
using Derp.Servers.Api.Jobs;
using Derp.Servers.Api.Services;
using Derp.ServiceDefaults.Jobs;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Persistence;
using Derp.ServiceDefaults.Problems;
using Derp.ServiceDefaults.Security;
using Microsoft.Extensions.Options;
using Quartz;

namespace Derp.Servers.Api.Extensions;

public static class Extensions
{
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddDerpDatabase<ServersContext>();
        builder.AddDerpMessaging<ServersContext>(bus =>
        {
            bus.AddConsumer<RentalActivatedConsumer>();
            bus.AddConsumer<RentalExtendedConsumer>();
            bus.AddConsumer<RentalExpiredConsumer>();
            bus.AddConsumer<UserDeregisteredConsumer>();
        });
        var jobs = builder.Configuration.GetSection("Servers:Jobs");
        builder.AddDerpJobs(quartz =>
        {
            quartz.ScheduleJob<HealthCheckJob>(t => t.WithIdentity("servers-health-every-minute").WithCronSchedule(jobs["Health"] ?? "15 * * * * ?"),
                j => j.WithIdentity(HealthCheckJob.Key));
            quartz.ScheduleJob<TrafficJob>(t => t.WithIdentity("servers-traffic-every-5-minutes").WithCronSchedule(jobs["Traffic"] ?? "45 0/5 * * * ?"),
                j => j.WithIdentity(TrafficJob.Key));
            quartz.ScheduleJob<ReconcileJob>(t => t.WithIdentity("servers-reconcile-every-minute").WithCronSchedule(jobs["Reconcile"] ?? "30 * * * * ?"),
                j => j.WithIdentity(ReconcileJob.Key));
        });

        builder.Services.AddOptions<ServersOptions>().Bind(builder.Configuration.GetSection(ServersOptions.Section));
        builder.Services.AddSingleton<AdmissionSecret>();
        builder.Services.AddSingleton(sp => new SecretProtector(sp.GetRequiredService<IOptions<ServersOptions>>().Value.EncryptionKey,
            "Servers:EncryptionKey", sp.GetRequiredService<ILogger<SecretProtector>>()));
        builder.Services.AddSingleton<SshClient>();
        builder.Services.AddSingleton<HostConnections>();
        builder.Services.AddScoped<HostAccess>();
        builder.Services.AddScoped<HostRegistration>();
        builder.Services.AddScoped<Alerts>();
        builder.Services.AddScoped<Placement>();
        builder.Services.AddScoped<HealthMonitor>();
        builder.Services.AddScoped<TrafficMeter>();
        builder.Services.AddScoped<Reconciler>();
        builder.Services.AddSingleton<ReconcileSignal>();
        builder.Services.AddHostedService<ReconcileLoop>();
        builder.Services.AddHostedService<DemoHostsSeeder>();
        // Relays in IP mode serve a self-signed certificate: the probe checks that the relay answers, not who it is.
        builder.Services.AddHttpClient(HealthMonitor.ProbeClient).ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        });
        builder.Services.AddServersGauges();
        builder.Services.AddValidatorsFrom(typeof(Extensions).Assembly);
        return builder;
    }
}
