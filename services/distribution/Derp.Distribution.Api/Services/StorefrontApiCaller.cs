using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Derp.Distribution.Api.Model;
using Microsoft.Extensions.Options;

namespace Derp.Distribution.Api.Services;

public static class StorefrontApiClientExtensions
{
    public const string ClientName = "storefront-api-cards";

    /// <summary>
    /// The HTTP client for api cards. Its connect callback checks the address actually connected to, so a host name
    /// that resolves (or re-resolves) to a private address is refused too, not only a literal one.
    /// </summary>
    public static IServiceCollection AddStorefrontApiClient(this IServiceCollection services)
    {
        services.AddHttpClient(ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptions<StorefrontOptions>>();
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    UseProxy = false,
                    ConnectCallback = async (context, cancellationToken) =>
                    {
                        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
                        var allowed = addresses.Where(a => options.Value.AllowPrivateApiTargets || !StorefrontApiCaller.IsPrivate(a)).ToArray();
                        if (allowed.Length == 0)
                            throw new StorefrontApiRefusedException($"{context.DnsEndPoint.Host} is a private, loopback or link-local address.");
                        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                        try
                        {
                            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                            return new NetworkStream(socket, ownsSocket: true);
                        }
                        catch
                        {
                            socket.Dispose();
                            throw;
                        }
                    },
                };
            });
        return services;
    }
}

public sealed class StorefrontApiRefusedException(string message) : Exception(message);

/// <summary>Calls an api card's URL for one item: placeholders filled, a timeout per attempt, a number of retries, a field of the answer.</summary>
public sealed class StorefrontApiCaller(IHttpClientFactory clients, ILogger<StorefrontApiCaller> logger)
{
    public static readonly string[] Methods = ["GET", "POST", "PUT"];

    /// <summary>The delivered text, or null when every attempt failed.</summary>
    public async Task<string?> CallAsync(StorefrontCard card, DeliveryPlaceholders values, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(StorefrontApiClientExtensions.ClientName);
        var url = StorefrontText.Render(card.ApiUrl!, values, Uri.EscapeDataString);
        var body = card.ApiBody is null ? null : StorefrontText.Render(card.ApiBody, values, StorefrontText.JsonStringContent);
        var headers = card.ApiHeadersJson is null ? new Dictionary<string, string>()
            : JsonSerializer.Deserialize<Dictionary<string, string>>(card.ApiHeadersJson) ?? [];
        for (var attempt = 0; attempt <= card.ApiRetries; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(card.ApiTimeoutSeconds));
            try
            {
                using var request = new HttpRequestMessage(new HttpMethod(card.ApiMethod ?? "GET"), url);
                if (body is not null && card.ApiMethod != "GET")
                    request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                foreach (var (name, value) in headers)
                    request.Headers.TryAddWithoutValidation(name, StorefrontText.Render(value, values));
                using var response = await client.SendAsync(request, timeout.Token);
                var text = await response.Content.ReadAsStringAsync(timeout.Token);
                if (!response.IsSuccessStatusCode)
                {
                    logger.LogWarning("api card {CardId} attempt {Attempt}: HTTP {Status}", card.Id, attempt + 1, (int)response.StatusCode);
                    continue;
                }
                var field = Select(text, card.ApiResponseField);
                if (!string.IsNullOrEmpty(field))
                    return field;
                logger.LogWarning("api card {CardId} attempt {Attempt}: no field {Field} in the answer", card.Id, attempt + 1, card.ApiResponseField);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("api card {CardId} attempt {Attempt}: timed out after {Seconds} s", card.Id, attempt + 1, card.ApiTimeoutSeconds);
            }
            catch (HttpRequestException e)
            {
                logger.LogWarning("api card {CardId} attempt {Attempt}: {Error}", card.Id, attempt + 1, e.Message);
                if (e.InnerException is StorefrontApiRefusedException)
                    return null; // a refused target stays refused: no point retrying
            }
            catch (Exception e) when (e is InvalidOperationException or UriFormatException or FormatException or NotSupportedException)
            {
                // A URL or header that only goes wrong once the order's values are in it: the delivery fails, the service does not.
                logger.LogWarning("api card {CardId} attempt {Attempt}: {Error}", card.Id, attempt + 1, e.Message);
                return null;
            }
        }
        return null;
    }

    private static string? Select(string text, string? field)
    {
        if (string.IsNullOrWhiteSpace(field))
            return text;
        try
        {
            using var document = JsonDocument.Parse(text);
            return StorefrontText.SelectField(document.RootElement, field);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Loopback, private (RFC 1918, unique local), link-local, carrier-grade NAT, unspecified and multicast addresses.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
            return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
        var b = address.GetAddressBytes();
        return b[0] switch
        {
            0 or 10 or 127 => true,
            100 => b[1] is >= 64 and <= 127,
            169 => b[1] == 254,
            172 => b[1] is >= 16 and <= 31,
            192 => b[1] == 168 || (b[1] == 0 && b[2] == 0),
            >= 224 => true,
            _ => false,
        };
    }
}
