namespace Derp.ServiceDefaults.Http;

/// <summary>
/// Small images clients upload as base64 (payment and payout QR codes): a PNG or JPEG by its bytes, not by what the
/// client claims, and at most <see cref="MaxQrBytes"/>.
/// </summary>
public static class ImageUploads
{
    public const int MaxQrBytes = 512 * 1024;

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] JpegSignature = [0xFF, 0xD8, 0xFF];

    /// <summary>The image's bytes and type, or null when it is not base64 of a PNG or JPEG within the size limit.</summary>
    public static (byte[] Image, string ContentType)? ReadQr(string base64, string? claimedContentType)
    {
        if (base64.Length > (MaxQrBytes + 2) / 3 * 4 + 4)
            return null;
        var buffer = new byte[base64.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(base64, buffer, out var length) || length == 0 || length > MaxQrBytes)
            return null;
        var image = buffer[..length];
        var detected = image.AsSpan().StartsWith(PngSignature) ? "image/png" : image.AsSpan().StartsWith(JpegSignature) ? "image/jpeg" : null;
        if (detected is null || (claimedContentType is not null && claimedContentType != detected))
            return null;
        return (image, detected);
    }
}
