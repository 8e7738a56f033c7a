using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
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

    /// <summary>Settings the test class wants on top of the defaults.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings() => [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Database", Database.ConnectionString);
        builder.UseSetting("ConnectionStrings:RabbitMq", TestInfrastructure.RabbitMq);
        builder.UseSetting("ConnectionStrings:Redis", TestInfrastructure.Redis);
        builder.UseSetting("Redis:KeyPrefix", $"test:{Guid.NewGuid():N}:");
        builder.UseSetting("Smtp:Host", TestInfrastructure.SmtpHost);
        builder.UseSetting("Smtp:Port", TestInfrastructure.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Jwt:SigningKey", TestInfrastructure.JwtSigningKey);
        builder.UseSetting("Outbox:PollInterval", "00:00:00.200");
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
