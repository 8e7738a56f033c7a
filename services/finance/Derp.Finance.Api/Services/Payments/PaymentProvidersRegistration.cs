using System.Text;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Derp.Finance.Api.Services.Payments;

public static class PaymentProvidersRegistration
{
    public static IServiceCollection AddPaymentProviders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AlipayOptions>().Bind(configuration.GetSection(AlipayOptions.Section))
            .Validate(o => !o.Enabled || (o.AppId.Length > 0 && IsRsaPublicKey(o.PublicKey)),
                $"{AlipayOptions.Section}: when Enabled, AppId and PublicKey (Alipay's RSA public key, PEM or base64) are required.")
            .ValidateOnStart();
        services.AddOptions<WeChatPayOptions>().Bind(configuration.GetSection(WeChatPayOptions.Section))
            .Validate(o => !o.Enabled || (o.MchId.Length > 0 && o.AppId.Length > 0 && Encoding.UTF8.GetByteCount(o.ApiV3Key) == 32
                    && o.PlatformKeys.Count > 0 && o.PlatformKeys.All(k => !string.IsNullOrWhiteSpace(k.Serial) && IsRsaPublicKey(k.PublicKeyPem))),
                $"{WeChatPayOptions.Section}: when Enabled, MchId, AppId, a 32-byte ApiV3Key and PlatformKeys [{{Serial, PublicKeyPem}}] are required.")
            .ValidateOnStart();
        services.AddSingleton<AlipayProvider>();
        services.AddSingleton<WeChatPayProvider>();
        return services;
    }

    private static bool IsRsaPublicKey(string text)
    {
        try
        {
            RsaPublicKeys.Import(text);
            return true;
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or System.Security.Cryptography.CryptographicException)
        {
            return false; // the message names the setting, never the value
        }
    }
}
