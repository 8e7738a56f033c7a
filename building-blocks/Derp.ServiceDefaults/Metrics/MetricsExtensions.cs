using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Derp.ServiceDefaults.Metrics;

public static class MetricsExtensions
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The Prometheus exporter and <c>derp_build_info</c>: every service (AddServiceDefaults) and the gateway.</summary>
    public static IServiceCollection AddDerpMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<PrometheusMetrics>();
        services.TryAddSingleton<BuildInfo>();
        return services;
    }

    /// <summary>Starts listening before the first request, so nothing recorded early is missed.</summary>
    public static IServiceProvider StartDerpMetrics(this IServiceProvider services)
    {
        _ = services.GetRequiredService<PrometheusMetrics>();
        _ = services.GetRequiredService<BuildInfo>();
        return services;
    }

    public static Task WriteMetricsAsync(HttpContext http)
    {
        var text = http.RequestServices.GetRequiredService<PrometheusMetrics>().Scrape();
        http.Response.ContentType = ContentType;
        return http.Response.WriteAsync(text);
    }

    public static RouteHandlerBuilder MapDerpMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/metrics", (PrometheusMetrics metrics) => Results.Text(metrics.Scrape(), ContentType)).ExcludeFromDescription();
}
