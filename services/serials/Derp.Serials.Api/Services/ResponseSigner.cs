using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Derp.Serials.Api.Services;

/// <summary>
/// Signs every validation response with ECDSA P-256 / SHA-256 over "timestamp\nnonce\nbody", so client software can
/// tell a forged answer (a patched local server) from ours, and, by checking its own fresh nonce and the timestamp,
/// a replayed one. The public key is published at GET /api/validate/public-key.
/// </summary>
public sealed class ResponseSigner : IDisposable
{
    public const string SignatureHeader = "X-Derp-Signature";
    public const string TimestampHeader = "X-Derp-Timestamp";
    public const string NonceHeader = "X-Derp-Nonce";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public ResponseSigner(IOptions<SerialsOptions> options, ILogger<ResponseSigner> logger)
    {
        if (options.Value.SigningKeyPem is { Length: > 0 } pem)
            _key.ImportFromPem(pem);
        else
            logger.LogWarning("Serials:SigningKeyPem is not configured; a signing key was generated for this process only.");
        PublicKeyPem = _key.ExportSubjectPublicKeyInfoPem();
    }

    public string PublicKeyPem { get; }

    public static byte[] SignedBytes(long timestamp, string nonce, byte[] body) =>
        [.. Encoding.UTF8.GetBytes($"{timestamp.ToString(CultureInfo.InvariantCulture)}\n{nonce}\n"), .. body];

    public string Sign(long timestamp, string nonce, byte[] body) =>
        Convert.ToBase64String(_key.SignData(SignedBytes(timestamp, nonce, body), HashAlgorithmName.SHA256));

    public void Dispose() => _key.Dispose();
}
