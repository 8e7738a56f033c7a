using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Derp.Servers.Api.Hosts;

namespace Derp.Servers.FunctionalTests;

/// <summary>derper's IP-certificate mode: the pin clients need is read from the certificate a relay really serves.</summary>
public sealed class RelayCertificateTests
{
    [Fact]
    public async Task The_cert_name_is_the_sha256_of_the_certificate_the_relay_serves_for_its_ip()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(90));
        using var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var relay = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            await using var tls = new SslStream(client.GetStream());
            await tls.AuthenticateAsServerAsync(certificate);
        });

        var pin = await RelayCertificates.ReadCertNameAsync("127.0.0.1", port, "127.0.0.1", TimeSpan.FromSeconds(10), CancellationToken.None);
        await relay;

        pin.ShouldBe("sha256-raw:" + Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)));
        pin.ShouldMatch("^sha256-raw:[0-9a-f]{64}$");
    }

    [Fact]
    public async Task A_relay_without_tls_gives_no_pin()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var plain = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            await client.GetStream().WriteAsync("HTTP/1.0 400 Bad Request\r\n\r\n"u8.ToArray());
        });
        await Should.ThrowAsync<HostException>(() =>
            RelayCertificates.ReadCertNameAsync("127.0.0.1", port, "127.0.0.1", TimeSpan.FromSeconds(10), CancellationToken.None));
        await plain;
    }
}
