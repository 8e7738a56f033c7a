using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Derp.Contracts.Finance;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Derp.Finance.Api.Services.Payments;

/// <summary>
/// WeChat Pay API v3's payment notification: a JSON body signed SHA256withRSA over
/// <c>"{Wechatpay-Timestamp}\n{Wechatpay-Nonce}\n{body}\n"</c> by the platform key named in <c>Wechatpay-Serial</c>, whose
/// <c>resource</c> is the transaction encrypted AEAD_AES_256_GCM with the merchant's APIv3 key. WeChat Pay stops resending
/// on a 2xx; a 4xx/5xx carries <c>{"code":"FAIL","message":...}</c>.
/// </summary>
public sealed class WeChatPayProvider : IPaymentProvider
{
    /// <summary>A notification signed longer ago (or further ahead) than this is a replay, whatever its signature.</summary>
    public static readonly TimeSpan TimestampTolerance = TimeSpan.FromMinutes(5);

    private const int TagBytes = 16;
    private const int NonceBytes = 12;

    private readonly WeChatPayOptions _options;
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, byte[]> _platformKeys = new(StringComparer.OrdinalIgnoreCase);
    private readonly byte[] _apiV3Key = [];

    public WeChatPayProvider(IOptions<WeChatPayOptions> options, TimeProvider clock)
    {
        _options = options.Value;
        _clock = clock;
        if (!_options.Enabled)
            return;
        // Validated at start when enabled (Extensions), so bad configuration stops the service instead of refusing payments.
        foreach (var key in _options.PlatformKeys)
            _platformKeys[key.Serial.Trim()] = RsaPublicKeys.Import(key.PublicKeyPem);
        _apiV3Key = Encoding.UTF8.GetBytes(_options.ApiV3Key);
    }

    public string Name => "wechat";
    public string Channel => PaymentChannels.WeChatPay;
    public bool Enabled => _options.Enabled && _platformKeys.Count > 0 && _apiV3Key.Length == 32;

    public NotificationVerdict Verify(ProviderNotification notification)
    {
        if (!Enabled)
            throw new InvalidOperationException("WeChat Pay notifications are disabled.");

        var timestamp = notification.Header("Wechatpay-Timestamp");
        var nonce = notification.Header("Wechatpay-Nonce");
        var signature = notification.Header("Wechatpay-Signature");
        var serial = notification.Header("Wechatpay-Serial");
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(nonce) || string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(serial))
            return Refused(NotificationRefusals.Malformed("The Wechatpay-Timestamp, -Nonce, -Signature and -Serial headers are required."));
        if (!_platformKeys.TryGetValue(serial, out var platformKey))
            return Refused(NotificationRefusals.SignatureInvalid($"No platform key with serial {Printable(serial)} is configured."));
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            return Refused(NotificationRefusals.Malformed("Wechatpay-Timestamp is not a Unix time in seconds."));
        var age = _clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (age.Duration() > TimestampTolerance)
            return Refused(NotificationRefusals.Replayed("Wechatpay-Timestamp is more than 5 minutes from now."));
        if (!RsaPublicKeys.VerifySha256(platformKey, SignedMessage(timestamp, nonce, notification.Body.Span), signature))
            return Refused(NotificationRefusals.SignatureInvalid("Wechatpay-Signature does not verify with the platform key."));

        // Authentic from here on: what remains is reading it.
        Resource? resource;
        try
        {
            resource = ReadResource(notification.Body.Span);
        }
        catch (JsonException)
        {
            return Refused(NotificationRefusals.Malformed("The body is not a notification with a resource."));
        }
        if (resource is null)
            return Refused(NotificationRefusals.Malformed("The body is not a notification with a resource."));
        if (resource.Algorithm != "AEAD_AES_256_GCM")
            return Refused(NotificationRefusals.Malformed("Only the AEAD_AES_256_GCM resource algorithm is accepted."));

        if (Decrypt(resource) is not { } plaintext)
            return Refused(NotificationRefusals.Undecryptable("The resource does not decrypt with the APIv3 key (ciphertext, tag, nonce or associated data)."));

        Transaction transaction;
        try
        {
            transaction = ReadTransaction(plaintext);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            return Refused(NotificationRefusals.Malformed("The decrypted resource is not a transaction."));
        }

        if (!string.Equals(transaction.MchId, _options.MchId, StringComparison.Ordinal)
            || !string.Equals(transaction.AppId, _options.AppId, StringComparison.Ordinal))
            return Refused(NotificationRefusals.AccountMismatch("The mchid or appid is not this merchant's."));
        if (transaction.TradeState != "SUCCESS")
            return new NotificationVerdict.Ignored($"trade_state {transaction.TradeState ?? "(none)"} is not a completed payment");
        if (string.IsNullOrEmpty(transaction.OutTradeNo) || string.IsNullOrEmpty(transaction.TransactionId))
            return Refused(NotificationRefusals.Malformed("out_trade_no and transaction_id are required."));
        if (transaction.TotalFen is not > 0)
            return Refused(NotificationRefusals.Malformed("amount.total must be a positive number of fen."));
        if (transaction.Currency != Currencies.Cny)
            return Refused(NotificationRefusals.Malformed("amount.currency must be CNY."));
        if (transaction.SuccessTime is not { } successTime)
            return Refused(NotificationRefusals.Malformed("success_time must be an RFC 3339 time."));

        return new NotificationVerdict.Verified(new VerifiedPayment(
            transaction.OutTradeNo, transaction.TransactionId, transaction.TotalFen.Value, Currencies.Cny, successTime.ToUniversalTime()));
    }

    public IResult Acknowledge() => TypedResults.Ok();

    public IResult Refuse(NotificationRefusal refusal) =>
        TypedResults.Json(new WeChatPayFailure("FAIL", refusal.Message), statusCode: refusal.Status);

    /// <summary>WeChat Pay's answer to a notification it must send again.</summary>
    public sealed record WeChatPayFailure(string Code, string Message);

    /// <summary>The bytes WeChat Pay signs: timestamp, nonce and the exact body, each followed by a newline.</summary>
    public static byte[] SignedMessage(string timestamp, string nonce, ReadOnlySpan<byte> body)
    {
        var head = Encoding.UTF8.GetBytes($"{timestamp}\n{nonce}\n");
        var message = new byte[head.Length + body.Length + 1];
        head.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(head.Length));
        message[^1] = (byte)'\n';
        return message;
    }

    /// <summary>AEAD_AES_256_GCM (RFC 5116): the base64 ciphertext ends with the 16-byte tag; nonce and associated data are UTF-8.</summary>
    private byte[]? Decrypt(Resource resource)
    {
        var nonce = Encoding.UTF8.GetBytes(resource.Nonce ?? "");
        var associatedData = Encoding.UTF8.GetBytes(resource.AssociatedData ?? "");
        var sealedBytes = new byte[(resource.Ciphertext?.Length ?? 0)];
        if (nonce.Length != NonceBytes || resource.Ciphertext is null
            || !Convert.TryFromBase64String(resource.Ciphertext, sealedBytes, out var sealedLength) || sealedLength <= TagBytes)
            return null;

        var ciphertext = sealedBytes.AsSpan(0, sealedLength - TagBytes);
        var tag = sealedBytes.AsSpan(sealedLength - TagBytes, TagBytes);
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using var aes = new AesGcm(_apiV3Key, TagBytes);
            aes.Decrypt(nonce, ciphertext, tag, plaintext, associatedData);
            return plaintext;
        }
        catch (CryptographicException)
        {
            return null; // AuthenticationTagMismatchException among them: tampered, wrong key, wrong associated data
        }
    }

    private sealed record Resource(string? Algorithm, string? Ciphertext, string? Nonce, string? AssociatedData);

    private static Resource? ReadResource(ReadOnlySpan<byte> body)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("resource", out var resource) || resource.ValueKind != JsonValueKind.Object)
            return null;
        return new Resource(Text(resource, "algorithm"), Text(resource, "ciphertext"), Text(resource, "nonce"), Text(resource, "associated_data"));
    }

    /// <summary>RFC 3339 date-times: an offset or Z is required, fractions of a second allowed.</summary>
    private static readonly string[] Rfc3339Formats =
        ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];

    private sealed record Transaction(
        string? MchId, string? AppId, string? OutTradeNo, string? TransactionId, string? TradeState,
        long? TotalFen, string? Currency, DateTimeOffset? SuccessTime);

    private static Transaction ReadTransaction(byte[] plaintext)
    {
        using var document = JsonDocument.Parse(plaintext);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new JsonException("not an object");
        long? total = null;
        string? currency = null;
        if (root.TryGetProperty("amount", out var amount) && amount.ValueKind == JsonValueKind.Object)
        {
            if (amount.TryGetProperty("total", out var totalElement) && totalElement.ValueKind == JsonValueKind.Number
                && totalElement.TryGetInt64(out var fen))
                total = fen;
            currency = Text(amount, "currency");
        }
        DateTimeOffset? successTime = DateTimeOffset.TryParseExact(Text(root, "success_time"), Rfc3339Formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
        return new Transaction(Text(root, "mchid"), Text(root, "appid"), Text(root, "out_trade_no"), Text(root, "transaction_id"),
            Text(root, "trade_state"), total, currency, successTime);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A header value fit for a log line and an answer (it is the caller's text).</summary>
    private static string Printable(string value) =>
        new(value.Take(64).Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '?').ToArray());

    private static NotificationVerdict.Refused Refused(NotificationRefusal refusal) => new(refusal);
}
