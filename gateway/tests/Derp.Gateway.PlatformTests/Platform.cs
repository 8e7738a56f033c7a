extern alias acl;
extern alias distribution;
extern alias finance;
extern alias serials;
extern alias servers;
extern alias users;
using System.Collections.Concurrent;
using System.Net;
using Derp.ServiceDefaults.Security;
using Derp.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

[assembly: AssemblyFixture(typeof(Derp.Gateway.PlatformTests.Platform))]

namespace Derp.Gateway.PlatformTests;

/// <summary>A service of the platform as the gateway sees it: the cluster that routes to it and its endpoints.</summary>
public interface IPlatformService
{
    string Cluster { get; }
    string Address { get; }
    IServiceProvider Services { get; }
}

/// <summary>One service on a loopback Kestrel port (the gateway needs a real address), with its own database.</summary>
public sealed class PlatformService<TProgram>(string name, params KeyValuePair<string, string?>[] settings)
    : LoopbackServiceFactory<TProgram>(name, settings), IPlatformService where TProgram : class
{
    public string Cluster { get; } = name;
}

/// <summary>The gateway with its own configuration (routes, policies), its clusters pointed where a test wants.</summary>
public sealed class GatewayHost(IReadOnlyDictionary<string, string> clusterAddresses) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Jwt:SigningKey", TestInfrastructure.JwtSigningKey);
        builder.UseSetting("Gateway:RateLimit:PermitPerMinute", "1000000");
        builder.UseSetting("Gateway:WebRoot", Platform.WebRoot);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (cluster, address) in clusterAddresses)
            builder.UseSetting($"ReverseProxy:Clusters:{cluster}:Destinations:primary:Address", address);
    }
}

/// <summary>Stands in for one cluster and remembers what reached it, for the route agreement test.</summary>
public sealed class Recorder : IAsyncDisposable
{
    private WebApplication? _app;

    public ConcurrentBag<string> Received { get; } = [];
    public string Address { get; private set; } = "";

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(context =>
        {
            Received.Add(context.Request.Query["probe"].ToString());
            return context.Response.WriteAsync("recorded");
        });
        await _app.StartAsync();
        Address = _app.Urls.Single() + "/";
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }
}

/// <summary>
/// Every service on real ports with their real databases, the gateway routed to them, and a second gateway whose
/// clusters are recorders (what the gateway forwards, and where).
/// </summary>
public sealed class Platform : IAsyncLifetime
{
    public static readonly string WebRoot = Directory.CreateTempSubdirectory("derp-platform-web-").FullName;
    private const string AdmissionSecret = "test-admission-secret-0123456789abcdef";

    public IReadOnlyList<IPlatformService> Services { get; }
    public Dictionary<string, Recorder> Recorders { get; } = new[] { "users", "serials", "acl", "servers", "finance", "distribution" }.ToDictionary(c => c, _ => new Recorder());
    public GatewayHost Gateway { get; private set; } = null!;
    public GatewayHost RecordingGateway { get; private set; } = null!;

    private readonly string _runtime = $"/tmp/dpt-{Guid.NewGuid():N}"[..17];

    public Platform() => Services =
    [
        new PlatformService<users::Program>("users",
            new("Admin:Email", $"root-{Guid.NewGuid():N}@derp.test"), new("Admin:Password", "Sup3r-admin-pass"),
            new("Admin:Username", "root-" + Guid.NewGuid().ToString("N")[..8]), new("Users:LoginAttemptsPerIpPerWindow", "10000")),
        new PlatformService<serials::Program>("serials",
            new("Serials:DataKey", "platform-test-data-key"),
            new("Serials:EncryptionKey", Convert.ToBase64String(new byte[32].Select((_, i) => (byte)i).ToArray())),
            new("Serials:ValidatePerIp", "100000"), new("Serials:ValidatePerCode", "100000"),
            new("Serials:RedeemFailuresPerUser", "100000"), new("Serials:RedeemFailuresPerIp", "100000")),
        new PlatformService<acl::Program>("acl", new KeyValuePair<string, string?>(AdmissionTokens.SecretSetting, AdmissionSecret)),
        new PlatformService<servers::Program>("servers",
            new(AdmissionTokens.SecretSetting, AdmissionSecret),
            new("Servers:EncryptionKey", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))),
            new("Servers:RuntimeDirectory", _runtime),
            new("Servers:InstanceLabel", $"test-{Guid.NewGuid():N}"[..20]),
            new("Servers:Jobs:Health", "0 0 0 1 1 ? 2099"), new("Servers:Jobs:Traffic", "0 0 0 1 1 ? 2099"),
            new("Servers:Jobs:Reconcile", "0 0 0 1 1 ? 2099")),
        new PlatformService<finance::Program>("finance"),
        new PlatformService<distribution::Program>("distribution"),
    ];

    public async ValueTask InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(WebRoot, "index.html"), "<!doctype html><title>Derp portal</title>");
        foreach (var service in Services)
            await ((IAsyncLifetime)service).InitializeAsync();
        foreach (var recorder in Recorders.Values)
            await recorder.StartAsync();
        Gateway = new GatewayHost(Services.ToDictionary(s => s.Cluster, s => s.Address));
        RecordingGateway = new GatewayHost(Recorders.ToDictionary(r => r.Key, r => r.Value.Address));
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await RecordingGateway.DisposeAsync();
        foreach (var recorder in Recorders.Values)
            await recorder.DisposeAsync();
        foreach (var service in Services)
            await ((IAsyncDisposable)service).DisposeAsync();
        Directory.Delete(WebRoot, recursive: true);
    }

    /// <summary>Every /api endpoint of every service, with one concrete path and the methods it answers.</summary>
    public IEnumerable<ApiEndpoint> ApiEndpoints() =>
        from service in Services
        from endpoint in service.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
        let pattern = endpoint.RoutePattern
        where (pattern.RawText ?? "").TrimStart('/').StartsWith("api", StringComparison.Ordinal)
        from method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]
        select new ApiEndpoint(service.Cluster, method, endpoint);
}

public sealed record ApiEndpoint(string Cluster, string Method, RouteEndpoint Endpoint)
{
    /// <summary>Anonymous at the service: it allows anonymous callers, or asks for no authorization at all.</summary>
    public bool Anonymous => Endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null
        || !Endpoint.Metadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any();

    /// <summary>The route with every parameter filled in; <paramref name="text"/> for text parameters.</summary>
    public string Path(string text = "x") => "/" + string.Join('/', Endpoint.RoutePattern.PathSegments.Select(segment =>
        string.Concat(segment.Parts.Select(part => part switch
        {
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => Sample(parameter, text),
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        }))));

    public IEnumerable<System.Reflection.ParameterInfo> HandlerParameters =>
        Endpoint.Metadata.OfType<System.Reflection.MethodInfo>().FirstOrDefault()?.GetParameters() ?? [];

    public Type? BodyType => Endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.RequestType;

    public override string ToString() => $"{Method} {Endpoint.RoutePattern.RawText} ({Cluster})";

    private static string Sample(Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter, string text) =>
        parameter.ParameterPolicies.Any(p => p.Content is "guid") ? Guid.NewGuid().ToString()
        : parameter.ParameterPolicies.Any(p => p.Content is "int" or "long") ? "1"
        : text;
}
