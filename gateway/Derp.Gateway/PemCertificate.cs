using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Derp.Gateway;

/// <summary>
/// The gateway's TLS certificate from certbot's PEM files (fullchain.pem: the certificate then its intermediates;
/// privkey.pem). Every TLS handshake takes <see cref="Current"/>, so a renewal on disk reaches new connections once
/// <see cref="CertificateReloadService"/> has read it, with no restart and no dropped connection.
/// </summary>
public sealed class PemCertificate
{
    private readonly string _certificatePath;
    private readonly string _keyPath;
    private volatile Loaded _loaded;

    private sealed record Loaded(SslStreamCertificateContext Context, X509Certificate2 Certificate, byte[] Fingerprint);

    /// <summary>Loads the files now: a gateway configured for HTTPS with missing or broken files does not start.</summary>
    public PemCertificate(string certificatePath, string keyPath)
    {
        _certificatePath = certificatePath;
        _keyPath = keyPath;
        _loaded = Load(ReadFingerprint());
    }

    public SslStreamCertificateContext Current => _loaded.Context;

    public X509Certificate2 Certificate => _loaded.Certificate;

    /// <summary>
    /// Reads the files again and switches to them if their content changed. Returns true when it switched. Throws (and
    /// keeps serving the previous certificate) while the files are unreadable or do not belong together, e.g. between
    /// a copy of the new certificate and of its new key; the next call tries again.
    /// </summary>
    public bool ReloadIfChanged()
    {
        var fingerprint = ReadFingerprint();
        if (CryptographicOperations.FixedTimeEquals(fingerprint, _loaded.Fingerprint))
            return false;
        _loaded = Load(fingerprint);
        return true;
    }

    // The content, not a file time: certbot renews by pointing live/*.pem symlinks at new files in archive/, and a
    // Kubernetes secret volume swaps a directory link; both keep the paths and may keep times.
    private byte[] ReadFingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(File.ReadAllBytes(_certificatePath));
        hash.AppendData(File.ReadAllBytes(_keyPath));
        return hash.GetHashAndReset();
    }

    private Loaded Load(byte[] fingerprint)
    {
        // Throws when the key does not match the certificate.
        var certificate = X509Certificate2.CreateFromPemFile(_certificatePath, _keyPath);
        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(_certificatePath);
        var intermediates = new X509Certificate2Collection();
        foreach (var extra in chain.Skip(1))
            intermediates.Add(extra);
        // The intermediates are sent with the certificate (clients have only the roots); offline: nothing is fetched.
        var context = SslStreamCertificateContext.Create(certificate, intermediates, offline: true);
        return new Loaded(context, certificate, fingerprint);
    }
}

/// <summary>Checks certbot's files every <c>Gateway:Certificate:ReloadInterval</c> (one minute) for a renewal.</summary>
public sealed partial class CertificateReloadService(PemCertificate certificate, TimeSpan interval, ILogger<CertificateReloadService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (certificate.ReloadIfChanged())
                        Reloaded(logger, certificate.Certificate.Subject, certificate.Certificate.NotAfter);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
                {
                    KeptPrevious(logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping (also when the host failed to start and is being disposed)
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS certificate reloaded from disk: {Subject}, valid until {NotAfter:o}")]
    private static partial void Reloaded(ILogger logger, string subject, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS certificate files changed but cannot be used yet ({Reason}); still serving the previous certificate")]
    private static partial void KeptPrevious(ILogger logger, string reason);
}
