using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Derp.TestSupport;

/// <summary>
/// Watches what reaches RabbitMQ, independently of MassTransit: a durable queue of its own bound to an event's
/// exchange, read through the management API.
/// </summary>
public sealed class RabbitMqProbe : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly string _queue;

    private RabbitMqProbe(HttpClient http, string queue)
    {
        _http = http;
        _queue = queue;
    }

    /// <summary>Binds a new probe queue to the MassTransit exchange of <typeparamref name="TEvent"/>.</summary>
    public static async Task<RabbitMqProbe> ForEventAsync<TEvent>()
    {
        var http = ManagementClient();
        var exchange = $"{typeof(TEvent).Namespace}:{typeof(TEvent).Name}";
        var queue = $"test-probe-{typeof(TEvent).Name}-{Guid.NewGuid():N}";
        // Same properties MassTransit declares (durable fanout), so whichever comes first, both agree.
        (await http.PutAsJsonAsync($"/api/exchanges/{TestVirtualHost.Escaped}/{Uri.EscapeDataString(exchange)}", new { type = "fanout", durable = true, auto_delete = false })).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync($"/api/queues/{TestVirtualHost.Escaped}/{queue}", new { durable = true, auto_delete = false })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync($"/api/bindings/{TestVirtualHost.Escaped}/e/{Uri.EscapeDataString(exchange)}/q/{queue}", new { routing_key = "" })).EnsureSuccessStatusCode();
        return new RabbitMqProbe(http, queue);
    }

    /// <summary>Waits until a message whose JSON payload satisfies <paramref name="match"/> arrives; returns its "message" object.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var seen = new List<JsonElement>();
        while (DateTime.UtcNow < deadline)
        {
            seen.AddRange(await DrainAsync());
            var found = seen.FirstOrDefault(m => match(m.GetProperty("message")));
            if (found.ValueKind != JsonValueKind.Undefined)
                return found.GetProperty("message");
            await Task.Delay(200);
        }
        throw new TimeoutException($"No matching message on {_queue} within {timeout} (saw {seen.Count}).");
    }

    /// <summary>Every MassTransit envelope received so far (consumed from the probe queue).</summary>
    public async Task<IReadOnlyList<JsonElement>> DrainAsync()
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsJsonAsync($"/api/queues/{TestVirtualHost.Escaped}/{_queue}/get", new { count = 1000, ackmode = "ack_requeue_false", encoding = "auto" });
        }
        catch (HttpRequestException)
        {
            return []; // broker (or its management plugin) still booting
        }
        if (!response.IsSuccessStatusCode)
            return [];
        var messages = await response.Content.ReadFromJsonAsync<JsonElement>();
        return messages.EnumerateArray().Select(m => JsonDocument.Parse(m.GetProperty("payload").GetString()!).RootElement).ToList();
    }

    /// <summary>Delivers <paramref name="message"/> to the instance's consumer of <typeparamref name="T"/> (queue "&lt;prefix&gt;-&lt;event-name&gt;").</summary>
    public static Task SendToConsumerAsync<T>(string queuePrefix, T message, Guid? messageId = null) where T : class =>
        SendToQueueAsync(queuePrefix, "-" + Kebab(typeof(T).Name), message, messageId ?? Guid.NewGuid());

    private static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>
    /// Delivers <paramref name="message"/> as MassTransit would, straight to the queue whose name starts with
    /// <paramref name="queuePrefix"/> and contains <paramref name="queuePart"/> (one service instance's consumer), so
    /// other instances on the broker do not see it.
    /// </summary>
    public static async Task SendToQueueAsync<T>(string queuePrefix, string queuePart, T message, Guid messageId) where T : class
    {
        using var http = ManagementClient();
        string? queue = null;
        for (var attempt = 0; attempt < 100 && queue is null; attempt++)
        {
            var queues = await http.GetFromJsonAsync<JsonElement>($"/api/queues/{TestVirtualHost.Escaped}?columns=name");
            queue = queues.EnumerateArray().Select(q => q.GetProperty("name").GetString()!)
                .FirstOrDefault(n => n.StartsWith(queuePrefix, StringComparison.Ordinal) && n.Contains(queuePart, StringComparison.Ordinal) && !n.EndsWith("_error", StringComparison.Ordinal));
            if (queue is null)
                await Task.Delay(100); // the bus declares its queues shortly after start
        }
        if (queue is null)
            throw new InvalidOperationException($"No queue {queuePrefix}*{queuePart}* on the broker.");

        var envelope = JsonSerializer.Serialize(new
        {
            messageId,
            messageType = new[] { $"urn:message:{typeof(T).Namespace}:{typeof(T).Name}" },
            message,
            sentTime = DateTimeOffset.UtcNow,
        }, JsonSerializerOptions.Web);
        var response = await http.PostAsJsonAsync($"/api/exchanges/{TestVirtualHost.Escaped}/amq.default/publish", new
        {
            properties = new { content_type = "application/vnd.masstransit+json", message_id = messageId.ToString(), delivery_mode = 2 },
            routing_key = queue,
            payload = envelope,
            payload_encoding = "string",
        });
        response.EnsureSuccessStatusCode();
        if (!(await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("routed").GetBoolean())
            throw new InvalidOperationException($"The message was not routed to {queue}.");
    }

    private static HttpClient ManagementClient() => TestVirtualHost.ManagementClient();

    public async ValueTask DisposeAsync()
    {
        try { await _http.DeleteAsync($"/api/queues/{TestVirtualHost.Escaped}/{_queue}"); }
        catch (HttpRequestException) { /* broker gone; the queue goes with the test node */ }
        _http.Dispose();
    }
}
