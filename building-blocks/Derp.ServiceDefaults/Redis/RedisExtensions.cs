using Derp.ServiceDefaults.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Derp.ServiceDefaults.Redis;

public static class RedisExtensions
{
    public const string ConnectionStringName = "Redis";

    /// <summary>
    /// Redis for rate limits and replay refusal, for the services that use them. Its health check reports
    /// "Degraded", never "Unhealthy": every use has a local fallback (ADR-012), so a Redis outage must not take a
    /// replica out of its load balancer.
    /// </summary>
    public static WebApplicationBuilder AddDerpRedis(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration.GetConnectionString(ConnectionStringName) ?? "127.0.0.1:6379";
        var options = builder.Configuration.GetSection(RedisOptions.Section).Get<RedisOptions>() ?? new RedisOptions();
        builder.Services.AddSingleton(services => new RedisConnection(configuration, options,
            services.GetRequiredService<ILogger<RedisConnection>>()));
        builder.Services.AddSingleton<IRateLimiter, RedisRateLimiter>();
        builder.Services.AddSingleton<ReplayGuard>();
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", failureStatus: HealthStatus.Degraded, tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }
}
