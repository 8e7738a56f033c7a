using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Derp.Servers.Api.Hosts;

public sealed record ContainerSpec(string Name, string Image, IReadOnlyList<string> Args, IReadOnlyDictionary<string, string> Labels,
    int DerpPort, int StunPort, string BindAddress, long MemoryBytes, long NanoCpus, string RestartPolicy, string? NetworkMode = null);

public sealed record ContainerSummary(string Id, string Name, string State, IReadOnlyDictionary<string, string> Labels);

public sealed record ContainerState(string Id, string Status, bool Running, DateTimeOffset? StartedAt);

/// <summary>Cumulative bytes the container's network interfaces received and sent, as the engine counts them.</summary>
public sealed record ContainerTraffic(long RxBytes, long TxBytes);

/// <summary>
/// The Docker Engine API (v1.41; podman serves it too) over a host's forwarded socket. Every failure becomes a
/// <see cref="HostException"/> naming the host and the operation.
/// </summary>
public sealed class DockerEngineClient(HttpClient http, string host)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public Task PingAsync(CancellationToken cancellationToken) =>
        SendAsync("ping", () => http.GetAsync("_ping", cancellationToken), HttpStatusCode.OK);

    public async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        var version = await ReadAsync<JsonElement>("version", () => http.GetAsync("version", cancellationToken), cancellationToken);
        return version.GetProperty("Version").GetString() ?? "unknown";
    }

    public async Task<IReadOnlyList<ContainerSummary>> ListAsync(string label, CancellationToken cancellationToken)
    {
        var filters = Uri.EscapeDataString(JsonSerializer.Serialize(new Dictionary<string, string[]> { ["label"] = [label] }));
        var items = await ReadAsync<List<JsonElement>>("list", () => http.GetAsync($"containers/json?all=true&filters={filters}", cancellationToken), cancellationToken);
        return items.Select(c => new ContainerSummary(
            c.GetProperty("Id").GetString()!,
            c.GetProperty("Names").EnumerateArray().Select(n => n.GetString()!.TrimStart('/')).FirstOrDefault() ?? "",
            c.GetProperty("State").GetString() ?? "",
            c.TryGetProperty("Labels", out var labels) && labels.ValueKind == JsonValueKind.Object
                ? labels.EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString() ?? "")
                : new Dictionary<string, string>())).ToList();
    }

    public async Task<string> CreateAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        var derp = $"{spec.DerpPort}/tcp";
        var stun = $"{spec.StunPort}/udp";
        var body = new
        {
            Image = spec.Image,
            Cmd = spec.Args,
            Labels = spec.Labels,
            ExposedPorts = new Dictionary<string, object> { [derp] = new { }, [stun] = new { } },
            HostConfig = new
            {
                PortBindings = new Dictionary<string, object[]>
                {
                    [derp] = [new { HostIp = spec.BindAddress, HostPort = spec.DerpPort.ToString(System.Globalization.CultureInfo.InvariantCulture) }],
                    [stun] = [new { HostIp = spec.BindAddress, HostPort = spec.StunPort.ToString(System.Globalization.CultureInfo.InvariantCulture) }],
                },
                RestartPolicy = new { Name = spec.RestartPolicy },
                NetworkMode = spec.NetworkMode,
                Memory = spec.MemoryBytes,
                NanoCpus = spec.NanoCpus,
            },
        };
        var created = await ReadAsync<JsonElement>("create", () => http.PostAsJsonAsync($"containers/create?name={Uri.EscapeDataString(spec.Name)}", body, Json, cancellationToken),
            cancellationToken);
        return created.GetProperty("Id").GetString()!;
    }

    /// <summary>Starts a container; one already running is fine.</summary>
    public Task StartAsync(string id, CancellationToken cancellationToken) =>
        SendAsync("start", () => http.PostAsync($"containers/{id}/start", null, cancellationToken), HttpStatusCode.NoContent, HttpStatusCode.NotModified);

    /// <summary>Stops a container; one already stopped is fine.</summary>
    public Task StopAsync(string id, CancellationToken cancellationToken) =>
        SendAsync("stop", () => http.PostAsync($"containers/{id}/stop?t=5", null, cancellationToken), HttpStatusCode.NoContent, HttpStatusCode.NotModified);

    /// <summary>Removes a container with force; one already gone is fine.</summary>
    public Task RemoveAsync(string id, CancellationToken cancellationToken) =>
        SendAsync("remove", () => http.DeleteAsync($"containers/{id}?force=true", cancellationToken), HttpStatusCode.NoContent, HttpStatusCode.NotFound);

    /// <summary>The container's state, or null when the engine does not know it.</summary>
    public async Task<ContainerState?> InspectAsync(string idOrName, CancellationToken cancellationToken)
    {
        var response = await CallAsync("inspect", () => http.GetAsync($"containers/{Uri.EscapeDataString(idOrName)}/json", cancellationToken));
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        var inspected = await ReadBodyAsync<JsonElement>("inspect", response, cancellationToken);
        var state = inspected.GetProperty("State");
        DateTimeOffset? startedAt = state.TryGetProperty("StartedAt", out var started) && DateTimeOffset.TryParse(started.GetString(), out var at) ? at : null;
        return new ContainerState(inspected.GetProperty("Id").GetString()!, state.GetProperty("Status").GetString() ?? "", state.GetProperty("Running").GetBoolean(), startedAt);
    }

    public async Task<ContainerTraffic> StatsAsync(string id, CancellationToken cancellationToken)
    {
        var stats = await ReadAsync<JsonElement>("stats", () => http.GetAsync($"containers/{id}/stats?stream=false", cancellationToken), cancellationToken);
        long rx = 0, tx = 0;
        if (stats.TryGetProperty("networks", out var networks) && networks.ValueKind == JsonValueKind.Object)
        {
            foreach (var network in networks.EnumerateObject())
            {
                rx += network.Value.GetProperty("rx_bytes").GetInt64();
                tx += network.Value.GetProperty("tx_bytes").GetInt64();
            }
        }
        return new ContainerTraffic(rx, tx);
    }

    public async Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken)
    {
        var response = await CallAsync("image inspect", () => http.GetAsync($"images/{Uri.EscapeDataString(image)}/json", cancellationToken));
        if (response.StatusCode == HttpStatusCode.NotFound)
            return false;
        await EnsureAsync("image inspect", response, cancellationToken, HttpStatusCode.OK);
        return true;
    }

    /// <summary>Pulls an image from its registry (production hosts; fails where no registry is reachable).</summary>
    public async Task PullAsync(string image, CancellationToken cancellationToken)
    {
        var response = await CallAsync("pull", () => http.PostAsync($"images/create?fromImage={Uri.EscapeDataString(image)}", null, cancellationToken));
        await EnsureAsync("pull", response, cancellationToken, HttpStatusCode.OK);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (body.Contains("\"error\"", StringComparison.Ordinal))
            throw new HostException(host, "pull", body.Length > 300 ? body[..300] : body);
    }

    private async Task SendAsync(string operation, Func<Task<HttpResponseMessage>> call, params HttpStatusCode[] accepted)
    {
        using var response = await CallAsync(operation, call);
        await EnsureAsync(operation, response, CancellationToken.None, accepted);
    }

    private async Task<T> ReadAsync<T>(string operation, Func<Task<HttpResponseMessage>> call, CancellationToken cancellationToken)
    {
        using var response = await CallAsync(operation, call);
        return await ReadBodyAsync<T>(operation, response, cancellationToken);
    }

    private async Task<T> ReadBodyAsync<T>(string operation, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await EnsureAsync(operation, response, cancellationToken, HttpStatusCode.OK, HttpStatusCode.Created);
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
            ?? throw new HostException(host, operation, "the engine sent an empty answer");
    }

    private async Task<HttpResponseMessage> CallAsync(string operation, Func<Task<HttpResponseMessage>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or System.Net.Sockets.SocketException)
        {
            throw new HostException(host, $"docker {operation}", e.Message, inner: e);
        }
    }

    private async Task EnsureAsync(string operation, HttpResponseMessage response, CancellationToken cancellationToken, params HttpStatusCode[] accepted)
    {
        if (accepted.Contains(response.StatusCode))
            return;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var message = body;
        try
        {
            message = JsonDocument.Parse(body).RootElement.GetProperty("message").GetString() ?? body;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // not the engine's error shape: keep the raw body
        }
        throw new HostException(host, $"docker {operation}", $"{(int)response.StatusCode} {(message.Length > 300 ? message[..300] : message)}");
    }
}
