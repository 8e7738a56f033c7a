using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Derp.TestSupport;

/// <summary>
/// A RabbitMQ virtual host of this test process's own. MassTransit declares one exchange per message type, so two
/// processes on one virtual host receive each other's events whatever their queue names; a virtual host apiece keeps
/// a test run, the `make up` platform and the end-to-end copy apart. It is created on first use and deleted when the
/// process exits; those left behind by a killed run are deleted by the next one.
/// </summary>
public static class TestVirtualHost
{
    private const string NamePrefix = "derp-test-";
    private static readonly Lazy<string> LazyName = new(Create);

    /// <summary>The virtual host's name, e.g. <c>derp-test-4242-1a2b3c4d</c>.</summary>
    public static string Name => LazyName.Value;

    /// <summary>The name as it appears in management API paths.</summary>
    public static string Escaped => Uri.EscapeDataString(Name);

    /// <summary>An AMQP URI for <paramref name="server"/> (no virtual host of its own) pointed at this virtual host.</summary>
    public static string ConnectionString(string server) =>
        new UriBuilder(server) { Path = "/" + Escaped }.Uri.ToString();

    private static string Create()
    {
        using var http = ManagementClient();
        RemoveAbandoned(http);
        var name = $"{NamePrefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..(NamePrefix.Length + 16)];
        var escaped = Uri.EscapeDataString(name);
        Send(http, HttpMethod.Put, $"/api/vhosts/{escaped}", new { });
        Send(http, HttpMethod.Put, $"/api/permissions/{escaped}/{Uri.EscapeDataString(ManagementUser)}",
            new { configure = ".*", write = ".*", read = ".*" });
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                using var client = ManagementClient();
                client.Send(new HttpRequestMessage(HttpMethod.Delete, $"/api/vhosts/{escaped}"));
            }
            catch (HttpRequestException) { /* the broker is gone; the next run removes it */ }
        };
        return name;
    }

    /// <summary>Deletes virtual hosts of test processes that no longer run (a run that was killed).</summary>
    private static void RemoveAbandoned(HttpClient http)
    {
        using var response = http.Send(new HttpRequestMessage(HttpMethod.Get, "/api/vhosts?columns=name"));
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(response.Content.ReadAsStream());
        foreach (var name in body.RootElement.EnumerateArray().Select(v => v.GetProperty("name").GetString()!))
        {
            if (!name.StartsWith(NamePrefix, StringComparison.Ordinal))
                continue;
            var pid = name[NamePrefix.Length..].Split('-')[0];
            if (int.TryParse(pid, out var processId) && IsRunning(processId))
                continue;
            http.Send(new HttpRequestMessage(HttpMethod.Delete, $"/api/vhosts/{Uri.EscapeDataString(name)}")).Dispose();
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void Send(HttpClient http, HttpMethod method, string path, object body)
    {
        using var response = http.Send(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });
        response.EnsureSuccessStatusCode();
    }

    private static string ManagementUser => Uri.UnescapeDataString(new Uri(TestInfrastructure.RabbitMqManagement).UserInfo.Split(':')[0]);

    /// <summary>A client for the broker's management API (basic auth from <see cref="TestInfrastructure.RabbitMqManagement"/>).</summary>
    internal static HttpClient ManagementClient()
    {
        var management = new Uri(TestInfrastructure.RabbitMqManagement);
        var http = new HttpClient { BaseAddress = new Uri(management.GetLeftPart(UriPartial.Authority)) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(management.UserInfo))));
        return http;
    }
}
