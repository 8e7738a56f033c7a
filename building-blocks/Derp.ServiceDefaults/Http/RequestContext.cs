using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Derp.ServiceDefaults.Http;

/// <summary>
/// Gives every request an id (the caller's X-Request-Id when it is sane, else a new one), echoes it and puts it in
/// the logging scope, so one request can be followed from the gateway through every service.
/// </summary>
public sealed partial class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public const string Header = "X-Request-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        var incoming = context.Request.Headers[Header].ToString();
        var requestId = SafeId().IsMatch(incoming) ? incoming : Guid.NewGuid().ToString("N");
        context.TraceIdentifier = requestId;
        context.Response.Headers[Header] = requestId;
        using (logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = requestId }))
            await next(context);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{8,64}$")]
    private static partial Regex SafeId();
}

public static class HttpContextExtensions
{
    /// <summary>The caller's address; behind the gateway this is the forwarded client address.</summary>
    public static string ClientIp(this HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    public static string UserAgent(this HttpContext context)
    {
        var agent = context.Request.Headers.UserAgent.ToString();
        return agent.Length > 512 ? agent[..512] : agent;
    }
}
