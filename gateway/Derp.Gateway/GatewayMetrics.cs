using System.Diagnostics.Metrics;
using System.Net;
using Derp.ServiceDefaults.Metrics;
using Derp.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.Metadata;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Derp.Gateway;

/// <summary>
/// The gateway's own figures: requests per YARP route (the ASP.NET Core request histogram, with the route id as
/// <c>http_route</c>) and upstream errors (<c>derp_gateway_upstream_errors_total{route,cluster,error}</c>).
/// </summary>
public static class GatewayMetrics
{
    private static readonly Meter Meter = new("Derp.Gateway");

    public static readonly Counter<long> UpstreamErrors = Meter.CreateCounter<long>("derp.gateway.upstream_errors",
        description: "Requests the gateway could not forward or complete, by YARP route, cluster and YARP's error (Request, RequestTimedOut, NoAvailableDestinations...).");

    private static volatile PemCertificate? _servedCertificate;

    // One gauge for the process; it reads whichever certificate the gateway serves now (renewals included).
    private static readonly ObservableGauge<long> CertificateExpiry = Meter.CreateObservableGauge("derp.gateway.certificate_expiry_timestamp",
        () => _servedCertificate is { } served
            ? [new Measurement<long>(new DateTimeOffset(served.Certificate.NotAfter.ToUniversalTime()).ToUnixTimeSeconds())]
            : Array.Empty<Measurement<long>>(),
        unit: "s", description: "When the TLS certificate the gateway serves expires (Unix time), for the certificate-expiring alert.");

    /// <summary>Reports the expiry of the certificate the gateway serves (from certbot's files, as renewed).</summary>
    public static void ReportCertificate(PemCertificate certificate)
    {
        _servedCertificate = certificate;
        _ = CertificateExpiry;
    }

    /// <summary>The proxy pipeline's last step: after forwarding, a failure YARP recorded is counted.</summary>
    public static async Task CountUpstreamErrors(HttpContext context, Func<Task> next)
    {
        await next();
        if (context.Features.Get<IForwarderErrorFeature>() is not { } error)
            return;
        var proxy = context.Features.Get<IReverseProxyFeature>();
        UpstreamErrors.Add(1,
            PlatformMetrics.Tag("route", proxy?.Route.Config.RouteId ?? ""),
            PlatformMetrics.Tag("cluster", proxy?.Cluster?.Config.ClusterId ?? ""),
            PlatformMetrics.Tag("error", error.Error.ToString()));
    }
}

/// <summary>Names a proxied request's <c>http_route</c> by its YARP route id ("users-public") instead of its path pattern.</summary>
public sealed record YarpRouteDiagnostics(string Route) : IRouteDiagnosticsMetadata;

/// <summary>
/// <c>/metrics</c> on the gateway, which is the one public listener of the platform. Metrics name routes, clusters,
/// error rates and the build: reconnaissance for an attacker, and a scrape is not free. So it answers only a caller
/// that reaches the gateway directly (the TCP peer, judged before any forwarded header is believed) from loopback
/// (Prometheus next to the platform) or from <c>Gateway:Metrics:AllowedNetworks</c> (the cluster network Prometheus
/// scrapes from), and only when the request carries no forwarding header: a request relayed by a proxy or ingress on
/// an allowed address comes from someone else. Everyone else gets the same 404 as any unknown path, never the
/// portal's HTML (which answered /metrics before).
/// A separate port was the alternative; it would override the configured listeners (Kestrel takes explicit
/// listeners over Urls) and add a port to every deployment, for the same protection.
/// </summary>
public sealed class GatewayMetricsEndpoint(RequestDelegate next, IConfiguration configuration)
{
    private static readonly string[] ForwardingHeaders = ["X-Forwarded-For", "Forwarded", "X-Real-IP"];

    private readonly IPNetwork[] _allowed = (configuration.GetSection("Gateway:Metrics:AllowedNetworks").Get<string[]>() ?? [])
        .Select(IPNetwork.Parse).ToArray();

    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase, out var rest))
            return next(context);
        if (!rest.HasValue && HttpMethods.IsGet(context.Request.Method) && MayScrape(context))
            return MetricsExtensions.WriteMetricsAsync(context);
        return ApiProblems.NotFound(ProblemCodes.NotFound, "No such page.").ExecuteAsync(context);
    }

    private bool MayScrape(HttpContext context)
    {
        if (ForwardingHeaders.Any(context.Request.Headers.ContainsKey))
            return false;
        if (context.Connection.RemoteIpAddress is not { } peer)
            return false;
        if (peer.IsIPv4MappedToIPv6)
            peer = peer.MapToIPv4();
        return IPAddress.IsLoopback(peer) || _allowed.Any(network => network.Contains(peer));
    }
}
