using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.Mvc;
using Derp.ServiceDefaults;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Metrics;
using Derp.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy.Transforms;

namespace Derp.Gateway;

/// <summary>
/// The single public entry: YARP routes from configuration, JWT checked before anything is forwarded on protected
/// routes, per-IP rate limits, security headers, and the web portal with SPA fallback.
/// </summary>
public static partial class GatewayExtensions
{
    public const string AuthenticatedPolicy = "authenticated";
    public const string PerIpRateLimit = "per-ip";
    public const string RateLimitedCode = "rate_limited";
    private const string AdmissionPath = "/api/acl/derp/admit";

    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Logging.ClearProviders();
        // The services' body limit, enforced here too: a body they would refuse is a 413 from the edge, not a broken
        // upstream connection (502). Kestrel applies it to bodies without a declared length.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes(configuration));
        builder.Logging.AddJsonConsole(o => { o.IncludeScopes = true; o.UseUtcTimestamp = true; });

        ConfigureListeners(builder);

        // The same problem shape, JWT validation and role policies as every service (building-blocks).
        builder.Services.AddDerpProblemDetails();
        builder.AddDerpAuthentication();
        builder.Services.AddAuthorizationBuilder().AddPolicy(AuthenticatedPolicy, p => p.RequireAuthenticatedUser());

        var permitPerMinute = configuration.GetValue("Gateway:RateLimit:PermitPerMinute", 600);
        // A relay host asks for every client connection of every renter on it: it gets a budget of its own.
        var admissionPermitPerMinute = configuration.GetValue("Gateway:RateLimit:AdmissionPermitPerMinute", 12_000);
        // Per request this allocates nothing of its own: the partition key is the peer's address object and a flag (no
        // strings), and the option factories are made once (a lambda capturing the limits would be a closure per request).
        var admissionOptions = new FixedWindowRateLimiterOptions { PermitLimit = admissionPermitPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 };
        var otherOptions = new FixedWindowRateLimiterOptions { PermitLimit = permitPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 };
        Func<(IPAddress?, bool), FixedWindowRateLimiterOptions> admissionLimits = _ => admissionOptions;
        Func<(IPAddress?, bool), FixedWindowRateLimiterOptions> otherLimits = _ => otherOptions;
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(PerIpRateLimit, http =>
            {
                var admission = http.Request.Path.Equals(AdmissionPath, StringComparison.OrdinalIgnoreCase);
                return RateLimitPartition.GetFixedWindowLimiter((http.Connection.RemoteIpAddress, admission), admission ? admissionLimits : otherLimits);
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    context.HttpContext.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = new ProblemDetails { Status = 429, Title = "Too many requests from this address.", Extensions = { ["code"] = RateLimitedCode } },
                });
            };
        });

        // The gateway is the edge: it believes no X-Forwarded-For unless an operator names the load balancer in front
        // of it. (The framework would trust loopback by default, and trusts everyone when both lists are empty.)
        var trustedNetworks = configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [];
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the obsolete list still carries the loopback default and is still consulted
            o.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            o.KnownProxies.Clear();
            foreach (var network in trustedNetworks)
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddDerpMetrics();
        builder.Services.AddHttpClient(BackendsHealthCheck.HttpClientName, client =>
            client.Timeout = configuration.GetValue("Gateway:Readiness:Timeout", TimeSpan.FromSeconds(2)));
        builder.Services.AddSingleton<BackendsHealthCheck>();
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration("backends",
            sp => sp.GetRequiredService<BackendsHealthCheck>(), HealthStatus.Unhealthy, [ServiceDefaultsExtensions.ReadyTag]));
        // Registered before AddReverseProxy, which only adds its default factory when none is there.
        builder.Services.AddSingleton<Yarp.ReverseProxy.Forwarder.IForwarderHttpClientFactory, ServiceConnections>();
        builder.Services.AddReverseProxy()
            .LoadFromConfig(configuration.GetSection("ReverseProxy"))
            // Overwrite, never append: a client's own X-Forwarded-For must not reach a service as its address.
            .AddTransforms(transforms => transforms.AddXForwarded(ForwardedTransformActions.Set));
        return builder;
    }

    public static WebApplication UseGateway(this WebApplication app)
    {
        app.Services.StartDerpMetrics();
        // First: /metrics is judged on the TCP peer, before forwarded headers rewrite the client address.
        app.UseMiddleware<GatewayMetricsEndpoint>();
        if (app.Configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() is { Length: > 0 })
            app.UseForwardedHeaders();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<NoStoreApiResponsesMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestBodyLimitMiddleware>(MaxRequestBodyBytes(app.Configuration));
        UseHttpsEdge(app);
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();

        // Live: the gateway process answers. Ready: it can serve (BackendsHealthCheck): routes loaded and services reachable.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ServiceDefaultsExtensions.ReadyTag),
            ResponseWriter = (context, report) => context.Response.WriteAsJsonAsync(new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description, e.Value.Data }),
            }),
        });
        app.MapReverseProxy(proxy =>
            {
                // First the count of what failed upstream (it sees load balancing's "no destination" too), then YARP's default pipeline.
                proxy.Use(GatewayMetrics.CountUpstreamErrors);
                proxy.UseSessionAffinity();
                proxy.UseLoadBalancing();
                proxy.UsePassiveHealthChecks();
            })
            .ConfigureEndpoints((endpoint, route) => endpoint.WithMetadata(new YarpRouteDiagnostics(route.RouteId)))
            .RequireRateLimiting(PerIpRateLimit);

        var webRoot = app.Configuration["Gateway:WebRoot"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, app.Environment.ContentRootPath)
            : Path.Combine(app.Environment.ContentRootPath, "wwwroot");
        if (Directory.Exists(webRoot))
        {
            var files = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(webRoot);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
            // Client-side routes (/login, /admin/users...) load the portal; an API-looking path (//api/..., /API/...)
            // that no route took is a 404 problem, never the portal with a 200.
            app.MapFallback("{*path:nonfile}", (HttpContext http) => IsApiLooking(http.Request.Path)
                ? (IResult)ApiProblems.NotFound(ProblemCodes.NotFound, "No such API.")
                : Results.File(Path.Combine(webRoot, "index.html"), "text/html; charset=utf-8"));
        }
        return app;
    }

    private static bool IsApiLooking(PathString path)
    {
        var trimmed = (path.Value ?? "").TrimStart('/');
        return trimmed.Equals("api", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("api/", StringComparison.OrdinalIgnoreCase);
    }

    private static long MaxRequestBodyBytes(IConfiguration configuration) =>
        configuration.GetValue<long?>("Http:MaxRequestBodyBytes") ?? 1024 * 1024;

    /// <summary>
    /// HTTPS when a certificate is configured (certbot's fullchain.pem + privkey.pem), else plain HTTP from <c>Urls</c>.
    /// With a certificate the gateway listens on <c>Gateway:HttpsPort</c> (443) with TLS 1.2 and 1.3 only, and on
    /// <c>Gateway:HttpPort</c> (8080) for plain HTTP, which redirects to HTTPS (see <see cref="UseHttpsEdge"/>).
    /// Renewed files are picked up without a restart (<see cref="PemCertificate"/>).
    /// </summary>
    private static void ConfigureListeners(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var certificatePath = configuration["Gateway:Certificate:Path"];
        if (string.IsNullOrEmpty(certificatePath))
            return;
        var keyPath = configuration["Gateway:Certificate:KeyPath"];
        if (string.IsNullOrEmpty(keyPath))
            throw new InvalidOperationException("Gateway:Certificate:KeyPath must name the private key (certbot's privkey.pem) when Gateway:Certificate:Path is set.");
        var certificate = new PemCertificate(certificatePath, keyPath);
        var reloadInterval = configuration.GetValue("Gateway:Certificate:ReloadInterval", TimeSpan.FromMinutes(1));
        builder.Services.AddSingleton(certificate);
        GatewayMetrics.ReportCertificate(certificate);
        builder.Services.AddHostedService(sp => new CertificateReloadService(certificate, reloadInterval,
            sp.GetRequiredService<ILogger<CertificateReloadService>>()));

        var httpsPort = configuration.GetValue("Gateway:HttpsPort", 443);
        var httpPort = configuration.GetValue("Gateway:HttpPort", 8080);
        var listenAddress = configuration["Gateway:ListenAddress"] is { Length: > 0 } address ? IPAddress.Parse(address) : null;
        // These listeners replace Urls (the plain-HTTP address of a gateway without a certificate); Kestrel says so
        // once at start ("Overriding address(es)").
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            void Listen(int port, Action<ListenOptions> configure)
            {
                if (listenAddress is null) kestrel.ListenAnyIP(port, configure);
                else kestrel.Listen(listenAddress, port, configure);
            }
            Listen(httpPort, _ => { });
            Listen(httpsPort, listen => listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                // Asked at every handshake: the certificate of the moment, never one captured at start-up.
                OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = certificate.Current,
                    // Explicit rather than the OS default, which on many systems still accepts TLS 1.0 and 1.1.
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                }),
            }));
        });

        builder.Services.AddHsts(hsts => hsts.MaxAge = TimeSpan.FromDays(365));
        builder.Services.AddHttpsRedirection(redirect =>
        {
            redirect.RedirectStatusCode = StatusCodes.Status308PermanentRedirect; // keeps the method: a POST stays a POST
            // The port clients use (a container may publish 443 elsewhere); unset, the listening HTTPS port.
            redirect.HttpsPort = configuration.GetValue<int?>("Gateway:PublicHttpsPort") ?? (httpsPort == 0 ? null : httpsPort);
        });
    }

    /// <summary>
    /// With a certificate: HSTS on HTTPS answers, and plain HTTP redirected to HTTPS except certbot's ACME challenges
    /// (from the webroot <c>Gateway:Certificate:AcmeWebRoot</c>, so renewals go through the running gateway), the probes
    /// (<c>/health/*</c>) and the Prometheus scrape (<c>/metrics</c>), which come from inside the deployment.
    /// </summary>
    private static void UseHttpsEdge(WebApplication app)
    {
        if (app.Configuration["Gateway:Certificate:Path"] is not { Length: > 0 })
            return;
        if (app.Configuration["Gateway:Certificate:AcmeWebRoot"] is { Length: > 0 } webRoot)
        {
            // certbot --webroot -w WEBROOT writes WEBROOT/.well-known/acme-challenge/TOKEN; read at request time, so
            // the directory may appear after start-up (certbot creates it).
            var challenges = Path.Combine(Path.GetFullPath(webRoot), ".well-known", "acme-challenge");
            app.MapGet(AcmeChallengePath + "/{token}", (string token) =>
                AcmeToken().IsMatch(token) && File.Exists(Path.Combine(challenges, token))
                    ? Results.File(Path.Combine(challenges, token), "text/plain")
                    : ApiProblems.NotFound(ProblemCodes.NotFound, "No such challenge."));
        }
        app.UseWhen(http => !http.Request.IsHttps && !IsPlainHttpAllowed(http.Request.Path), https => https.UseHttpsRedirection());
        app.UseHsts();
    }

    // ACME tokens are base64url; anything else (dots, slashes) never reaches the file system.
    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9_-]{1,256}$")]
    private static partial System.Text.RegularExpressions.Regex AcmeToken();

    private static readonly PathString AcmeChallengePath = "/.well-known/acme-challenge";

    private static bool IsPlainHttpAllowed(PathString path) =>
        path.StartsWithSegments(AcmeChallengePath) || path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");
}

public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        // One id from the edge on: the gateway always mints it (a client's own could collide or be crafted),
        // forwards it, answers with it, and the services log it.
        var requestId = Guid.NewGuid().ToString("N");
        context.TraceIdentifier = requestId;
        context.Request.Headers["X-Request-Id"] = requestId;
        // A static callback with the context as state: no closure allocated per request.
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            // Set last, replacing the copy a service echoes back through the proxy: one id, one header.
            headers["X-Request-Id"] = http.TraceIdentifier;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'";
            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
