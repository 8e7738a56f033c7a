using System.Buffers;
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

    /// <summary>The same bytes as <see cref="SignedBytes"/>, put together in a pooled buffer (this runs on every validation).</summary>
    public string Sign(long timestamp, string nonce, byte[] body)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(22 + Encoding.UTF8.GetMaxByteCount(nonce.Length) + body.Length);
        try
        {
            var signed = buffer.AsSpan();
            timestamp.TryFormat(signed, out var length, provider: CultureInfo.InvariantCulture);
            signed[length++] = (byte)'\n';
            length += Encoding.UTF8.GetBytes(nonce, signed[length..]);
            signed[length++] = (byte)'\n';
            body.CopyTo(signed[length..]);
            length += body.Length;
            Span<byte> signature = stackalloc byte[132]; // IEEE P1363 of P-256 is 64 bytes; room for larger curves
            if (!_key.TrySignData(signed[..length], signature, HashAlgorithmName.SHA256, out var written))
                throw new CryptographicException("The signature did not fit its buffer.");
            return Convert.ToBase64String(signature[..written]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose() => _key.Dispose();
}
