using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Health;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Metrics;
using Derp.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Derp.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    public const string ReadyTag = "ready";

    /// <summary>
    /// What every Derp service gets: structured logs, request ids, RFC 7807 problems with stable codes, JWT auth and
    /// role policies, health checks, Prometheus metrics, OpenAPI. Infrastructure is opt-in per service:
    /// AddDerpDatabase, AddDerpMessaging, AddDerpJobs, AddDerpRedis, AddDerpEmail.
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes(builder.Configuration);
        });

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddDerpProblemDetails();
        // Bad bodies throw, so the exception handler can answer with a problem that names the fault.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });

        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Trust the gateway (loopback by default, plus the networks configured for a cluster) for exactly one hop:
            // the address the gateway itself saw. Anything a client put further left is ignored.
            foreach (var network in builder.Configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [])
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            options.ForwardLimit = 1;
        });

        builder.AddDerpAuthentication();
        builder.Services.AddOpenApi();

        builder.Services.AddDerpMetrics();
        var health = builder.Services.AddHealthChecks();
        if (builder.Configuration.GetConnectionString(Persistence.DatabaseExtensions.ConnectionStringName) is { } database)
            health.AddCheck("postgresql", new PostgresHealthCheck(database), tags: [ReadyTag]);
        return builder;
    }

    /// <summary>
    /// RFC 7807 for every error: a stable <c>code</c> (the handler's own, else one per status) and the request id the
    /// logs carry; exceptions become problems too.
    /// </summary>
    public static IServiceCollection AddDerpProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
            context.ProblemDetails.Extensions.TryAdd("code", ProblemCodes.ForStatus(status));
            context.ProblemDetails.Extensions["requestId"] = context.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        return services;
    }

    /// <summary>Middleware order and the endpoints every service exposes: /health/live, /health/ready, /metrics, /openapi.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.Services.StartDerpMetrics();
        app.UseForwardedHeaders();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<NoStoreApiResponsesMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestBodyLimitMiddleware>(MaxRequestBodyBytes(app.Configuration));
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<InputGuardMiddleware>();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteHealthJson,
        });
        app.MapDerpMetrics();
        app.MapOpenApi();
        return app;
    }

    private static long MaxRequestBodyBytes(IConfiguration configuration) =>
        configuration.GetValue<long?>("Http:MaxRequestBodyBytes") ?? 1024 * 1024;

    private static Task WriteHealthJson(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
        });
    }
}
