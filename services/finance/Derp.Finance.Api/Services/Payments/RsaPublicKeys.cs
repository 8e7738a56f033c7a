using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Derp.Finance.Api.Services.Payments;

/// <summary>
/// Providers' RSA public keys, kept as SubjectPublicKeyInfo bytes: a fresh <see cref="RSA"/> per check, because one
/// instance is not documented as safe to share between concurrent requests.
/// </summary>
public static class RsaPublicKeys
{
    /// <summary>
    /// Reads a PEM public key ("BEGIN PUBLIC KEY" or "BEGIN RSA PUBLIC KEY"), a PEM certificate (WeChat Pay's platform
    /// certificates), or bare base64 SubjectPublicKeyInfo (how Alipay's console shows its key). Throws when it is none.
    /// </summary>
    public static byte[] Import(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (text.Contains("-----BEGIN CERTIFICATE", StringComparison.Ordinal))
        {
            using var certificate = X509Certificate2.CreateFromPem(text);
            using var certificateKey = certificate.GetRSAPublicKey() ?? throw new CryptographicException("The certificate does not hold an RSA key.");
            return certificateKey.ExportSubjectPublicKeyInfo();
        }
        using var rsa = RSA.Create();
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            rsa.ImportFromPem(text);
        else
            rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(string.Concat(text.Where(c => !char.IsWhiteSpace(c)))), out _);
        return rsa.ExportSubjectPublicKeyInfo();
    }

    /// <summary>SHA256withRSA (PKCS#1 v1.5), what both Alipay's RSA2 and WeChat Pay API v3 sign with.</summary>
    public static bool VerifySha256(byte[] subjectPublicKeyInfo, ReadOnlySpan<byte> data, string? base64Signature)
    {
        if (string.IsNullOrEmpty(base64Signature))
            return false;
        var signature = new byte[base64Signature.Length];
        if (!Convert.TryFromBase64String(base64Signature, signature, out var length))
            return false;
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        try
        {
            return rsa.VerifyData(data, signature.AsSpan(0, length), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false; // a signature of the wrong size for the key: not a signature by it
        }
    }
}
