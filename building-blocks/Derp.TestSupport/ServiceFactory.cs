using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Derp.TestSupport;

/// <summary>
/// Hosts one service in-process against the real infrastructure, with a database of its own (created and migrated
/// by the service itself, as in production) and a Redis key prefix of its own.
/// </summary>
public abstract class ServiceFactory<TProgram> : WebApplicationFactory<TProgram>, IAsyncLifetime where TProgram : class
{
    protected ServiceFactory(string name) => Database = TestDatabase.NewName(name);

    public TestDatabase Database { get; }

    /// <summary>This instance's own queue prefix (its queues are deleted with it).</summary>
    public string EndpointPrefix { get; } = $"test-{Guid.NewGuid():N}"[..17];

    /// <summary>Where the service's bus connects: this test process's virtual host on the real broker.</summary>
    protected virtual string RabbitMqConnectionString => TestInfrastructure.RabbitMq;

    /// <summary>Settings the test class wants on top of the defaults.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings() => [];

    /// <summary>The service's clock; tests move it instead of sleeping.</summary>
    public MutableTimeProvider Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IStartupFilter, FromGatewayStartupFilter>();
        });
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Database", Database.ConnectionString);
        builder.UseSetting("ConnectionStrings:RabbitMq", RabbitMqConnectionString);
        builder.UseSetting("ConnectionStrings:Redis", TestInfrastructure.Redis);
        builder.UseSetting("Redis:KeyPrefix", $"test:{Guid.NewGuid():N}:");
        builder.UseSetting("Messaging:EndpointPrefix", EndpointPrefix);
        builder.UseSetting("Messaging:TemporaryEndpoints", "true");
        builder.UseSetting("Smtp:Host", TestInfrastructure.SmtpHost);
        builder.UseSetting("Smtp:Port", TestInfrastructure.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Jwt:SigningKey", TestInfrastructure.JwtSigningKey);
        builder.UseSetting("Outbox:PollInterval", "00:00:00.200");
        builder.UseSetting("Metrics:GaugeRefreshInterval", "00:00:00.500");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in Settings())
            builder.UseSetting(key, value);
    }

    public virtual ValueTask InitializeAsync()
    {
        _ = Server; // start the host: migrations and seeders run now, not inside the first test
        return ValueTask.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A client signed in as <paramref name="userId"/> with <paramref name="role"/>, by a token minted with the platform key.</summary>
    public HttpClient ClientAs(Guid userId, string role) => ClientWithToken(TestTokens.Create(userId, role));

    public HttpClient ClientWithToken(string accessToken)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }
}

public static class ProblemAssertions
{
    /// <summary>Reads an RFC 7807 body and returns its stable <c>code</c>.</summary>
    public static async Task<string> ProblemCodeAsync(this HttpResponseMessage response)
    {
        await response.Content.LoadIntoBufferAsync(); // the caller may read the body again
        var contentType = response.Content.Headers.ContentType?.MediaType;
        if (contentType != "application/problem+json")
            throw new InvalidOperationException($"Expected a problem response, got {(int)response.StatusCode} {contentType}: {await response.Content.ReadAsStringAsync()}");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("code").GetString()!;
    }
}

/// <summary>
/// The test server has no socket. In production every request reaches a service from the gateway on a trusted
/// address, with the client's address in X-Forwarded-For; this makes test requests arrive the same way, so tests
/// choose a client address by sending that header.
/// </summary>
public sealed class FromGatewayStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress ??= System.Net.IPAddress.Loopback;
            return nextMiddleware(context);
        });
        next(app);
    };
}

/// <summary>A clock that stands still until a test moves it.</summary>
public sealed class MutableTimeProvider : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    public void Set(DateTimeOffset now) => _now = now;
}

public static class TestTokens
{
    public static string Create(Guid userId, string role)
    {
        var jwt = new Derp.ServiceDefaults.Auth.JwtOptions { SigningKey = TestInfrastructure.JwtSigningKey };
        return new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
                Derp.ServiceDefaults.Auth.AuthExtensions.SigningKey(jwt), Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object> { ["sub"] = userId.ToString(), ["role"] = role },
        });
    }
}
