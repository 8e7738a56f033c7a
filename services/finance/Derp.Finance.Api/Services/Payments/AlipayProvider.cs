using System.Globalization;
using System.Text;
using Derp.Contracts.Finance;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Derp.Finance.Api.Services.Payments;

/// <summary>
/// Alipay's asynchronous notification: a form-urlencoded POST signed RSA2 (SHA256withRSA) over its own parameters, sorted
/// by name, without <c>sign</c>, <c>sign_type</c> and empty values, joined as <c>k=v&amp;k=v</c> with the values decoded.
/// Alipay stops resending only when the answer is the text <c>success</c> (8 tries over 25 hours otherwise).
/// </summary>
public sealed class AlipayProvider : IPaymentProvider
{
    /// <summary>China Standard Time: UTC+8 all year (no daylight saving since 1991), so no time zone database is needed.</summary>
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    private static readonly string[] PaidTradeStatuses = ["TRADE_SUCCESS", "TRADE_FINISHED"];

    private readonly AlipayOptions _options;
    private readonly byte[]? _alipayPublicKey;

    public AlipayProvider(IOptions<AlipayOptions> options)
    {
        _options = options.Value;
        // Validated at start when enabled (Extensions), so a bad key stops the service instead of refusing every payment.
        if (_options.Enabled)
            _alipayPublicKey = RsaPublicKeys.Import(_options.PublicKey);
    }

    public string Name => "alipay";
    public string Channel => PaymentChannels.Alipay;
    public bool Enabled => _options.Enabled && _alipayPublicKey is not null;

    public NotificationVerdict Verify(ProviderNotification notification)
    {
        if (_alipayPublicKey is null)
            throw new InvalidOperationException("Alipay notifications are disabled.");

        Dictionary<string, string> parameters;
        try
        {
            parameters = ReadForm(notification.Body.Span);
        }
        catch (InvalidDataException exception)
        {
            return Refused(NotificationRefusals.Malformed(exception.Message));
        }

        if (Value(parameters, "sign_type") is not "RSA2")
            return Refused(NotificationRefusals.Malformed("Only sign_type RSA2 is accepted."));
        var signed = Encoding.UTF8.GetBytes(CanonicalString(parameters));
        if (!RsaPublicKeys.VerifySha256(_alipayPublicKey, signed, Value(parameters, "sign")))
            return Refused(NotificationRefusals.SignatureInvalid("The sign does not verify with Alipay's public key."));

        // Signed by Alipay, but possibly for another app of the same Alipay account.
        if (!string.Equals(Value(parameters, "app_id"), _options.AppId, StringComparison.Ordinal))
            return Refused(NotificationRefusals.AccountMismatch("The app_id is not this merchant's."));

        var tradeStatus = Value(parameters, "trade_status");
        if (!PaidTradeStatuses.Contains(tradeStatus, StringComparer.Ordinal))
            return new NotificationVerdict.Ignored($"trade_status {tradeStatus ?? "(none)"} is not a completed payment");

        var orderNumber = Value(parameters, "out_trade_no");
        var tradeNo = Value(parameters, "trade_no");
        if (orderNumber is null || tradeNo is null)
            return Refused(NotificationRefusals.Malformed("out_trade_no and trade_no are required."));
        if (!Money.TryParseYuan(Value(parameters, "total_amount"), out var fen) || fen <= 0)
            return Refused(NotificationRefusals.Malformed("total_amount is not an amount in yuan with at most two decimals."));
        if (!TryParseChinaTime(Value(parameters, "gmt_payment") ?? Value(parameters, "notify_time"), out var paidAt))
            return Refused(NotificationRefusals.Malformed("gmt_payment is not a time as yyyy-MM-dd HH:mm:ss."));

        // Alipay's domestic trades are always in yuan.
        return new NotificationVerdict.Verified(new VerifiedPayment(orderNumber, tradeNo, fen, Currencies.Cny, paidAt));
    }

    public IResult Acknowledge() => TypedResults.Text("success", "text/plain", Encoding.UTF8);

    public IResult Refuse(NotificationRefusal refusal) => TypedResults.Text("failure", "text/plain", Encoding.UTF8, refusal.Status);

    /// <summary>
    /// The string Alipay signs: every parameter except <c>sign</c> and <c>sign_type</c> and those with an empty value,
    /// sorted by name in ordinal (byte) order, as <c>name=value</c> joined with <c>&amp;</c>, values as decoded text.
    /// </summary>
    public static string CanonicalString(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters
            .Where(p => p.Key is not ("sign" or "sign_type") && !string.IsNullOrEmpty(p.Value))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));

    /// <summary>Reads "yyyy-MM-dd HH:mm:ss" as Beijing time, which is how Alipay writes every time.</summary>
    public static bool TryParseChinaTime(string? text, out DateTimeOffset time)
    {
        time = default;
        if (!DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return false;
        time = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), ChinaStandardTime).ToUniversalTime();
        return true;
    }

    private static Dictionary<string, string> ReadForm(ReadOnlySpan<byte> body)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException("The body is not UTF-8 (configure the app's charset as utf-8).");
        }
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in new FormReader(text).ReadForm())
        {
            // A parameter twice cannot be what Alipay signed; taking either copy would let a forger choose.
            if (values.Count != 1)
                throw new InvalidDataException($"The parameter {name} appears more than once.");
            parameters[name] = values[0] ?? "";
        }
        if (parameters.Count == 0)
            throw new InvalidDataException("The body holds no parameters.");
        return parameters;
    }

    private static string? Value(Dictionary<string, string> parameters, string name) =>
        parameters.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    private static NotificationVerdict.Refused Refused(NotificationRefusal refusal) => new(refusal);
}
