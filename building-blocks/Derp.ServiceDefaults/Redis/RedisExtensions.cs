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
    /// replica out of its load balancer. <paramref name="rateLimits"/> names the hot-path keys that are decided in memory
    /// and reconciled in the background (ADR-029); every other key is checked in Redis on each hit.
    /// </summary>
    public static WebApplicationBuilder AddDerpRedis(this WebApplicationBuilder builder, Action<RateLimitModes>? rateLimits = null)
    {
        var configuration = builder.Configuration.GetConnectionString(ConnectionStringName) ?? "127.0.0.1:6379";
        var options = builder.Configuration.GetSection(RedisOptions.Section).Get<RedisOptions>() ?? new RedisOptions();
        builder.Services.AddSingleton(services => new RedisConnection(configuration, options,
            services.GetRequiredService<ILogger<RedisConnection>>()));
        var modes = new RateLimitModes();
        rateLimits?.Invoke(modes);
        builder.Services.AddSingleton(modes);
        builder.Services.AddSingleton(builder.Configuration.GetSection("RateLimits:LocalFirst").Get<LocalFirstRateLimitOptions>() ?? new LocalFirstRateLimitOptions());
        builder.Services.AddSingleton<RedisRateLimiter>();
        builder.Services.AddSingleton(services => new LocalFirstRateLimiter(services.GetRequiredService<RedisConnection>(),
            services.GetRequiredService<TimeProvider>(), services.GetRequiredService<LocalFirstRateLimitOptions>()));
        builder.Services.AddSingleton<IRateLimiter, ModalRateLimiter>();
        builder.Services.AddSingleton<ReplayGuard>();
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", failureStatus: HealthStatus.Degraded, tags: [ServiceDefaultsExtensions.ReadyTag]);
        return builder;
    }
}
