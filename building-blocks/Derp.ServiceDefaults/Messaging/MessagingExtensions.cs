using System.Text.Json;
using Derp.ServiceDefaults.Metrics;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.ServiceDefaults.Messaging;

public static class MessagingExtensions
{
    public const string ConnectionStringName = "RabbitMq";

    internal static readonly JsonSerializerOptions EventJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// MassTransit over RabbitMQ with retries that end in the endpoint's error queue, plus the transactional outbox
    /// of <typeparamref name="TContext"/> and its background publisher.
    /// </summary>
    public static WebApplicationBuilder AddDerpMessaging<TContext>(this WebApplicationBuilder builder,
        Action<IBusRegistrationConfigurator>? configureConsumers = null) where TContext : DbContext
    {
        var rabbit = new Uri(builder.Configuration.GetConnectionString(ConnectionStringName) ?? "amqp://guest:guest@127.0.0.1:5672/");
        // Queues are named "<prefix>-<consumer>". A copy of the platform (or a test) with its own prefix gets its own
        // queues, so copies sharing one broker never take each other's messages.
        var endpointPrefix = builder.Configuration["Messaging:EndpointPrefix"] ?? builder.Environment.ApplicationName;
        var temporaryEndpoints = builder.Configuration.GetValue("Messaging:TemporaryEndpoints", false);

        builder.Services.AddReceiveObserver<ConsumerFailureObserver>();
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            configureConsumers?.Invoke(bus);
            if (temporaryEndpoints)
            {
                bus.AddConfigureEndpointsCallback((_, endpoint) =>
                {
                    if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbitEndpoint)
                    {
                        rabbitEndpoint.AutoDelete = true;
                        rabbitEndpoint.Durable = false;
                    }
                });
            }
            bus.UsingRabbitMq((context, rabbitMq) =>
            {
                rabbitMq.Host(rabbit);
                // Transient failures are retried in place; what still fails lands in <queue>_error for an operator.
                rabbitMq.UseMessageRetry(retry => retry.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(300)));
                rabbitMq.ConfigureEndpoints(context, new KebabCaseEndpointNameFormatter(endpointPrefix, false));
            });
        });
        // The service starts (and the outbox keeps events) even when RabbitMQ is down.
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = false);

        builder.Services.AddOptions<OutboxOptions>().Bind(builder.Configuration.GetSection("Outbox"));
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxSaveChangesInterceptor>();
        // The publisher is woken by every commit that may have written outbox rows; its poll is only the safety net.
        builder.Services.ConfigureDbContext<TContext>((services, options) =>
            options.AddInterceptors(services.GetRequiredService<OutboxSaveChangesInterceptor>(), Persistence.AfterCommitInterceptor.Instance));
        builder.Services.AddHostedService<OutboxPublisher<TContext>>();
        builder.Services.AddDatabaseGauge<TContext>("derp.outbox.backlog", "Integration events written but not yet published.",
            "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL");
        builder.Services.AddDatabaseGauge<TContext>("derp.outbox.oldest_age", "Age of the oldest unpublished integration event (0 when none waits).",
            "SELECT coalesce(greatest(0, extract(epoch FROM now() - min(created_at))), 0) FROM outbox_messages WHERE sent_at IS NULL", unit: "s");
        builder.Services.AddOptions<MessagingCleanupOptions>().Bind(builder.Configuration.GetSection(MessagingCleanupOptions.Section));
        builder.Services.AddSingleton<MessagingCleanup<TContext>>();
        builder.Services.AddHostedService(services => services.GetRequiredService<MessagingCleanup<TContext>>());
        return builder;
    }
}
