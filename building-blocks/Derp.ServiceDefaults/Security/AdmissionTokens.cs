using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using System.Security.Cryptography;
using System.Text;

namespace Derp.ServiceDefaults.Security;

/// <summary>
/// The token a relay container puts in its derper <c>-verify-client-url</c>. The servers service mints one per
/// container; the acl service checks it without a lookup: it names the renter and the container and carries an
/// HMAC-SHA256 over both with the platform's admission secret, so a token cannot be forged or moved to another
/// renter, and a leaked one admits nobody but that renter's own devices.
/// </summary>
public static class AdmissionTokens
{
    public const string SecretSetting = "Admission:Secret";
    private const int MacLength = 32; // base64url characters: 192 bits of the MAC

    public static string Create(string secret, Guid userId, Guid containerId) =>
        $"{userId:N}.{containerId:N}.{Mac(secret, userId, containerId)}";

    public static bool TryRead(string secret, string? token, out Guid userId, out Guid containerId)
    {
        userId = containerId = Guid.Empty;
        if (token is null || token.Length != 32 + 1 + 32 + 1 + MacLength)
            return false;
        var parts = token.Split('.');
        if (parts.Length != 3
            || !Guid.TryParseExact(parts[0], "N", out var user)
            || !Guid.TryParseExact(parts[1], "N", out var container))
            return false;
        var expected = Encoding.ASCII.GetBytes(Mac(secret, user, container));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[2])))
            return false;
        userId = user;
        containerId = container;
        return true;
    }

    private static string Mac(string secret, Guid userId, Guid containerId)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes($"derp-admit/v1/{userId:N}/{containerId:N}"));
        return Convert.ToBase64String(mac).Replace('+', '-').Replace('/', '_').TrimEnd('=')[..MacLength];
    }
}

/// <summary>
/// The platform-wide secret behind <see cref="AdmissionTokens"/> (<c>Admission:Secret</c>), shared by the servers
/// service (which mints tokens) and the acl service (which checks them). Without one, a developer's first run gets a
/// per-process secret: relays minted elsewhere are then refused rather than forged tokens accepted.
/// </summary>
public sealed class AdmissionSecret
{
    public AdmissionSecret(IConfiguration configuration, ILogger<AdmissionSecret> logger)
    {
        var configured = configuration[AdmissionTokens.SecretSetting];
        if (string.IsNullOrWhiteSpace(configured))
        {
            logger.LogWarning("{Setting} is not configured; a secret was generated for this process only", AdmissionTokens.SecretSetting);
            configured = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        }
        else if (configured.Length < 32)
        {
            throw new InvalidOperationException($"{AdmissionTokens.SecretSetting} must have at least 32 characters.");
        }
        Value = configured;
    }

    public string Value { get; }
}
