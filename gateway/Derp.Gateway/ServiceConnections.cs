using System.Net;
using Yarp.ReverseProxy.Forwarder;

namespace Derp.Gateway;

/// <summary>
/// How the gateway talks to the services (ADR-029): pooled keep-alive HTTP/1.1 connections (YARP's default request
/// version 2 with "or lower" falls back to 1.1 on http:// destinations, without a negotiation round), no proxy, no
/// cookies, no decompression, no redirects, and no trace-context headers (nothing downstream reads them; the gateway's
/// X-Request-Id is the correlation). Connections are recycled every few minutes so a service replaced behind a DNS
/// name is picked up, and capped per service so a flood at the edge cannot open unbounded sockets on a service.
/// A cluster's own <c>HttpClient:MaxConnectionsPerServer</c> in configuration wins over the cap.
/// </summary>
public sealed class ServiceConnections(ILogger<ForwarderHttpClientFactory> logger) : ForwarderHttpClientFactory(logger)
{
    public const int DefaultMaxConnectionsPerServer = 256;

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.UseProxy = false;
        handler.UseCookies = false;
        handler.AllowAutoRedirect = false;
        handler.AutomaticDecompression = DecompressionMethods.None;
        handler.ActivityHeadersPropagator = null;
        handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5);
        handler.PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1);
        handler.ConnectTimeout = TimeSpan.FromSeconds(5);
        if (context.NewConfig.MaxConnectionsPerServer is null)
            handler.MaxConnectionsPerServer = DefaultMaxConnectionsPerServer;
    }
}
