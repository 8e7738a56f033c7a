namespace Derp.Finance.Api.Services.Payments;

/// <summary>
/// <c>Finance:Providers:Alipay</c>. Off by default: nothing is accepted until an operator configures the app id and
/// Alipay's public key (the one Alipay shows in its console, PEM or bare base64 SubjectPublicKeyInfo).
/// </summary>
public sealed class AlipayOptions
{
    public const string Section = "Finance:Providers:Alipay";

    public bool Enabled { get; set; }
    public string AppId { get; set; } = "";
    public string PublicKey { get; set; } = "";
}

/// <summary>
/// <c>Finance:Providers:WeChatPay</c>. Off by default. <see cref="ApiV3Key"/> is a secret (it decrypts every
/// notification); it is never logged or returned.
/// </summary>
public sealed class WeChatPayOptions
{
    public const string Section = "Finance:Providers:WeChatPay";

    public bool Enabled { get; set; }
    public string MchId { get; set; } = "";
    public string AppId { get; set; } = "";
    public string ApiV3Key { get; set; } = "";

    /// <summary>
    /// WeChat Pay's platform certificates or platform public keys, by serial: a notification names the one it was
    /// signed with in <c>Wechatpay-Serial</c>. More than one during a rotation.
    /// </summary>
    public List<WeChatPayPlatformKey> PlatformKeys { get; set; } = [];
}

public sealed class WeChatPayPlatformKey
{
    public string Serial { get; set; } = "";

    /// <summary>A PEM public key or certificate (or bare base64 SubjectPublicKeyInfo).</summary>
    public string PublicKeyPem { get; set; } = "";
}
