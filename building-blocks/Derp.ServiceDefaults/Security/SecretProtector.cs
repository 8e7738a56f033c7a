using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Derp.ServiceDefaults.Security;

/// <summary>
/// AES-256-GCM for secrets stored in the database (serials' per-batch data keys, servers' SSH keys). The key comes
/// from configuration, never from the database, so a database dump alone reveals no secret.
/// </summary>
public sealed class SecretProtector
{
    private readonly byte[] _key;

    /// <param name="base64Key">32 bytes in base64; empty means a key for this process only (with a warning).</param>
    /// <param name="setting">The configuration key it came from, for messages.</param>
    public SecretProtector(string? base64Key, string setting, ILogger logger)
    {
        if (base64Key is { Length: > 0 } configured)
        {
            _key = Convert.FromBase64String(configured);
            if (_key.Length != 32)
                throw new InvalidOperationException($"{setting} must be base64 of 32 bytes.");
        }
        else
        {
            _key = RandomNumberGenerator.GetBytes(32);
            logger.LogWarning("{Setting} is not configured; what is encrypted now will not decrypt after a restart.", setting);
        }
    }

    public string Protect(string plaintext)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var data = Encoding.UTF8.GetBytes(plaintext);
        var cipher = new byte[data.Length];
        var tag = new byte[16];
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, data, cipher, tag);
        return Convert.ToBase64String([.. nonce, .. tag, .. cipher]);
    }

    public string Unprotect(string protectedValue)
    {
        var bytes = Convert.FromBase64String(protectedValue);
        var plain = new byte[bytes.Length - 28];
        using var aes = new AesGcm(_key, 16);
        aes.Decrypt(bytes.AsSpan(0, 12), bytes.AsSpan(28), bytes.AsSpan(12, 16), plain);
        return Encoding.UTF8.GetString(plain);
    }
}
