using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Derp.Servers.Api.Hosts;

/// <summary>
/// derper's IP-certificate mode: a relay whose host name is an IP address serves a self-signed certificate for it,
/// and clients accept it only when the DERP map pins it as <c>CertName = "sha256-raw:&lt;hex of the SHA-256 of the
/// certificate (DER)&gt;"</c> (tailcfg.DERPNode.CertName). The pin is read from the certificate the relay serves.
/// </summary>
public static class RelayCertificates
{
    public const string Prefix = "sha256-raw:";

    public static string CertName(X509Certificate certificate) =>
        Prefix + Convert.ToHexStringLower(SHA256.HashData(certificate.GetRawCertData()));

    /// <summary>Opens a TLS connection to the relay (any certificate accepted: this is how it is learned) and pins what it serves.</summary>
    public static async Task<string> ReadCertNameAsync(string address, int port, string serverName, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(address, port, deadline.Token);
            // Self-signed by design: the certificate is not checked here, it is learned, and then pinned by clients.
            X509Certificate? presented = null;
            await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) =>
            {
                presented = certificate;
                return certificate is not null;
            });
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = serverName }, deadline.Token);
            return CertName(presented ?? throw new HostException(address, "tls", "the relay presented no certificate"));
        }
        catch (Exception e) when (e is SocketException or IOException or System.Security.Authentication.AuthenticationException
            or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new HostException(address, "tls", e.Message, inner: e);
        }
    }
}
