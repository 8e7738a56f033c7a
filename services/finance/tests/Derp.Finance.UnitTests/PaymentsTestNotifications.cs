using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Derp.Finance.Tests.Payments;

// Shared by Derp.Finance.UnitTests and Derp.Finance.FunctionalTests (linked): notifications made the way the providers
// make them, signed and encrypted with keys the tests own. The signing side is written here independently of the
// service's verifying side, from the providers' published algorithms, so a shared mistake cannot hide.

/// <summary>Plays Alipay: signs asynchronous notifications RSA2 with its own key pair.</summary>
public sealed class AlipayTestSigner
{
    public const string AppId = "2021000000000001";

    // One key pair per test process: making a 2048-bit key takes a good part of a second, and every test would.
    private static readonly RSA SharedKey = RSA.Create(2048);

    public RSA Key => SharedKey;

    public string PublicKeyPem => Key.ExportSubjectPublicKeyInfoPem();

    /// <summary>How Alipay's console shows its public key: bare base64 SubjectPublicKeyInfo.</summary>
    public string PublicKeyBase64 => Convert.ToBase64String(Key.ExportSubjectPublicKeyInfo());

    /// <summary>The parameters of a paid trade, in the order Alipay happens to send them (not sorted).</summary>
    public static Dictionary<string, string> PaidTrade(string orderNumber, string tradeNo, string totalAmount = "30.00",
        string gmtPayment = "2026-11-23 11:00:05", string tradeStatus = "TRADE_SUCCESS", string appId = AppId) => new()
    {
        ["gmt_create"] = "2026-11-23 10:59:40",
        ["charset"] = "utf-8",
        ["seller_email"] = "merchant@example.com",
        ["subject"] = "Derp 30 天",
        ["buyer_id"] = "2088102177846880",
        ["invoice_amount"] = totalAmount,
        ["notify_id"] = "2026112300222110006028731",
        ["fund_bill_list"] = "[{\"amount\":\"" + totalAmount + "\",\"fundChannel\":\"ALIPAYACCOUNT\"}]",
        ["notify_type"] = "trade_status_sync",
        ["trade_status"] = tradeStatus,
        ["receipt_amount"] = totalAmount,
        ["app_id"] = appId,
        ["buyer_pay_amount"] = totalAmount,
        ["gmt_payment"] = gmtPayment,
        ["notify_time"] = "2026-11-23 11:00:06",
        ["passback_params"] = "",
        ["version"] = "1.0",
        ["out_trade_no"] = orderNumber,
        ["total_amount"] = totalAmount,
        ["trade_no"] = tradeNo,
        ["auth_app_id"] = appId,
        ["point_amount"] = "0.00",
    };

    /// <summary>Alipay's string to sign: sorted by name, sign/sign_type and empty values left out, decoded values.</summary>
    public static string StringToSign(IReadOnlyDictionary<string, string> parameters)
    {
        var names = parameters.Keys.Where(k => k != "sign" && k != "sign_type" && parameters[k].Length > 0).ToList();
        names.Sort(StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var name in names)
        {
            if (text.Length > 0)
                text.Append('&');
            text.Append(name).Append('=').Append(parameters[name]);
        }
        return text.ToString();
    }

    public string Sign(IReadOnlyDictionary<string, string> parameters, RSA? signWith = null) =>
        Convert.ToBase64String((signWith ?? Key).SignData(Encoding.UTF8.GetBytes(StringToSign(parameters)), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    /// <summary>The form body Alipay posts: every parameter plus sign_type and sign, form-urlencoded.</summary>
    public string SignedBody(Dictionary<string, string> parameters, RSA? signWith = null, string signType = "RSA2")
    {
        var all = new Dictionary<string, string>(parameters) { ["sign_type"] = signType };
        all["sign"] = Sign(all, signWith);
        return FormBody(all);
    }

    public static string FormBody(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters.Select(p => $"{WebUtility.UrlEncode(p.Key)}={WebUtility.UrlEncode(p.Value)}"));

}

/// <summary>Plays WeChat Pay: encrypts the transaction with the merchant's APIv3 key and signs the notification with its platform key.</summary>
public sealed class WeChatPayTestSigner
{
    public const string MchId = "1900000109";
    public const string AppId = "wxd678efh567hg6787";
    public const string Serial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";

    private static readonly RSA SharedPlatformKey = RSA.Create(2048);

    public RSA PlatformKey => SharedPlatformKey;

    /// <summary>32 random letters and digits, as the merchant console asks for.</summary>
    public string ApiV3Key { get; } = RandomText(32);

    public string PlatformPublicKeyPem => PlatformKey.ExportSubjectPublicKeyInfoPem();

    public static string Transaction(string orderNumber, string transactionId, long totalFen = 3000, string tradeState = "SUCCESS",
        string successTime = "2026-11-23T11:00:05+08:00", string currency = "CNY", string mchId = MchId, string appId = AppId) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["mchid"] = mchId,
            ["appid"] = appId,
            ["out_trade_no"] = orderNumber,
            ["transaction_id"] = transactionId,
            ["trade_type"] = "NATIVE",
            ["trade_state"] = tradeState,
            ["trade_state_desc"] = "支付成功",
            ["bank_type"] = "OTHERS",
            ["attach"] = "",
            ["success_time"] = successTime,
            ["payer"] = new Dictionary<string, string> { ["openid"] = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" },
            ["amount"] = new Dictionary<string, object> { ["total"] = totalFen, ["payer_total"] = totalFen, ["currency"] = currency, ["payer_currency"] = currency },
        });

    /// <summary>
    /// The notification body: <paramref name="transactionJson"/> encrypted AEAD_AES_256_GCM (ciphertext then the 16-byte
    /// tag, base64). <paramref name="statedAssociatedData"/> is what the body claims, when a test wants it to differ.
    /// </summary>
    public string Body(string transactionJson, string associatedData = "transaction", string? statedAssociatedData = null,
        string? apiV3Key = null, bool flipTag = false, string? nonce = null)
    {
        nonce ??= RandomText(12);
        var plaintext = Encoding.UTF8.GetBytes(transactionJson);
        var sealedBytes = new byte[plaintext.Length + 16];
        using (var aes = new AesGcm(Encoding.UTF8.GetBytes(apiV3Key ?? ApiV3Key), 16))
            aes.Encrypt(Encoding.UTF8.GetBytes(nonce), plaintext, sealedBytes.AsSpan(0, plaintext.Length), sealedBytes.AsSpan(plaintext.Length), Encoding.UTF8.GetBytes(associatedData));
        if (flipTag)
            sealedBytes[^1] ^= 0x01;
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = "EV-" + Guid.NewGuid().ToString("N"),
            ["create_time"] = "2026-11-23T11:00:06+08:00",
            ["resource_type"] = "encrypt-resource",
            ["event_type"] = "TRANSACTION.SUCCESS",
            ["summary"] = "支付成功",
            ["resource"] = new Dictionary<string, string>
            {
                ["original_type"] = "transaction",
                ["algorithm"] = "AEAD_AES_256_GCM",
                ["ciphertext"] = Convert.ToBase64String(sealedBytes),
                ["associated_data"] = statedAssociatedData ?? associatedData,
                ["nonce"] = nonce,
            },
        });
    }

    /// <summary>The four Wechatpay-* headers for <paramref name="body"/>, signed over "{timestamp}\n{nonce}\n{body}\n".</summary>
    public Dictionary<string, string> Headers(string body, DateTimeOffset signedAt, string serial = Serial, RSA? signWith = null)
    {
        var timestamp = signedAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var nonce = RandomText(32);
        var message = Encoding.UTF8.GetBytes($"{timestamp}\n{nonce}\n{body}\n");
        var signature = (signWith ?? PlatformKey).SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Wechatpay-Timestamp"] = timestamp,
            ["Wechatpay-Nonce"] = nonce,
            ["Wechatpay-Signature"] = Convert.ToBase64String(signature),
            ["Wechatpay-Serial"] = serial,
            ["Wechatpay-Signature-Type"] = "WECHATPAY2-SHA256-RSA2048",
        };
    }

    public static string RandomText(int length) =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", length);

}

/// <summary>A clock that says what the test tells it.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
