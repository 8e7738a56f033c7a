using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Derp.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Gateway.Tests;

/// <summary>
/// A certificate authority of the test's own (root, intermediate) issuing certificates for <see cref="HostName"/>, and
/// certbot's layout on disk: live/fullchain.pem and live/privkey.pem are symlinks into archive/, and a renewal writes
/// archive/fullchainN.pem + privkeyN.pem and points the links at them.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    public const string HostName = "derp.test";
    private readonly ECDsa _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private int _issued;

    public TestCertificates()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("derp-certbot-").FullName;
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "live"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "archive"));
        var now = DateTimeOffset.UtcNow;
        var rootRequest = new CertificateRequest("CN=Derp Test Root", _rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        var intermediateRequest = new CertificateRequest("CN=Derp Test Intermediate", _intermediateKey, HashAlgorithmName.SHA256);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var intermediate = intermediateRequest.Create(Root, now.AddDays(-1), now.AddMonths(6), [1, 2, 3, 4]);
        Intermediate = intermediate.CopyWithPrivateKey(_intermediateKey);
    }

    public string Directory { get; }
    public X509Certificate2 Root { get; }
    public X509Certificate2 Intermediate { get; }
    public string FullChainPath => Path.Combine(Directory, "live", "fullchain.pem");
    public string PrivateKeyPath => Path.Combine(Directory, "live", "privkey.pem");

    /// <summary>Issues a new certificate for the host, as certbot's first run or a renewal does. Returns its serial.</summary>
    public string Issue() => Install(NewLeaf());

    public (string FullChainPem, string KeyPem, string Serial) NewLeaf()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={HostName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(HostName);
        request.CertificateExtensions.Add(names.Build());
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        var now = DateTimeOffset.UtcNow;
        using var leaf = request.Create(Intermediate, now.AddMinutes(-5), now.AddDays(90), serial);
        return (leaf.ExportCertificatePem() + "\n" + Intermediate.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem(), leaf.SerialNumber);
    }

    /// <summary>What certbot does: new files in archive/, then each live/ link re-pointed in one rename.</summary>
    public string Install((string FullChainPem, string KeyPem, string Serial) leaf)
    {
        var version = Interlocked.Increment(ref _issued);
        WriteAndLink(leaf.FullChainPem, $"fullchain{version}.pem", FullChainPath);
        WriteAndLink(leaf.KeyPem, $"privkey{version}.pem", PrivateKeyPath);
        return leaf.Serial;
    }

    public void WriteAndLink(string content, string archiveName, string livePath)
    {
        File.WriteAllText(Path.Combine(Directory, "archive", archiveName), content);
        var temporary = livePath + ".new";
        File.Delete(temporary);
        File.CreateSymbolicLink(temporary, Path.Combine("..", "archive", archiveName));
        File.Move(temporary, livePath, overwrite: true);
    }

    /// <summary>A client's check: the chain the server sent leads to our root (the intermediate must have been sent).</summary>
    public bool Validates(X509Certificate? certificate, X509Chain? presented)
    {
        if (certificate is null)
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        // Only what the server sent: the client has no intermediate of its own.
        foreach (var sent in presented?.ChainPolicy.ExtraStore ?? [])
            if (!sent.RawData.AsSpan().SequenceEqual(certificate.GetRawCertData()))
                chain.ChainPolicy.ExtraStore.Add(sent);
        return chain.Build(new X509Certificate2(certificate)) &&
            new X509Certificate2(certificate).MatchesHostname(HostName);
    }

    public void Dispose()
    {
        _rootKey.Dispose();
        _intermediateKey.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>The real gateway on real Kestrel sockets (not the test server) with HTTPS from certbot's files.</summary>
public sealed class HttpsGatewayFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public TestCertificates Certificates { get; } = new();
    public string FirstSerial { get; private set; } = "";
    public string ChallengeDirectory { get; } = Directory.CreateTempSubdirectory("derp-acme-").FullName;
    public int HttpsPort { get; private set; }
    public int HttpPort { get; private set; }

    public ValueTask InitializeAsync()
    {
        FirstSerial = Certificates.Issue();
        UseKestrel();
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        HttpsPort = new Uri(addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal))).Port;
        HttpPort = new Uri(addresses.Single(a => a.StartsWith("http://", StringComparison.Ordinal))).Port;
        return ValueTask.CompletedTask;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Jwt:SigningKey", TestInfrastructure.JwtSigningKey);
        builder.UseSetting("Gateway:Certificate:Path", Certificates.FullChainPath);
        builder.UseSetting("Gateway:Certificate:KeyPath", Certificates.PrivateKeyPath);
        builder.UseSetting("Gateway:Certificate:ReloadInterval", "00:00:00.200");
        builder.UseSetting("Gateway:Certificate:AcmeWebRoot", ChallengeDirectory);
        // Free ports on loopback, chosen by the system.
        builder.UseSetting("Gateway:ListenAddress", "127.0.0.1");
        builder.UseSetting("Gateway:HttpsPort", "0");
        builder.UseSetting("Gateway:HttpPort", "0");
        foreach (var cluster in GatewayFactory.Clusters)
            builder.UseSetting($"ReverseProxy:Clusters:{cluster}:Destinations:primary:Address", "http://127.0.0.1:9/");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    /// <summary>
    /// A client that asks for https://derp.test:PORT/ (so SNI, Host and the certificate name are the real ones) but
    /// connects to the loopback port, and trusts only the test's root. Each call opens new connections unless reused.
    /// </summary>
    public HttpClient Client(int port, Action<X509Certificate2>? seen = null) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
            {
                if (certificate is not null)
                    seen?.Invoke(new X509Certificate2(certificate));
                return Certificates.Validates(certificate, chain);
            },
        },
    });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Certificates.Dispose();
        try { Directory.Delete(ChallengeDirectory, recursive: true); } catch (IOException) { }
    }
}

public sealed class HttpsTests(HttpsGatewayFactory gateway) : IClassFixture<HttpsGatewayFactory>
{
    private static readonly string Host = TestCertificates.HostName;

    private async Task<(SslProtocols Protocol, X509Certificate2 Certificate, bool ChainValid)> HandshakeAsync(SslProtocols protocols)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, gateway.HttpsPort, TestContext.Current.CancellationToken);
        var chainValid = false;
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, chain, _) => chainValid = gateway.Certificates.Validates(certificate, chain));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = Host, EnabledSslProtocols = protocols }, TestContext.Current.CancellationToken);
        return (tls.SslProtocol, new X509Certificate2(tls.RemoteCertificate!), chainValid);
    }

    [Fact]
    public async Task Tls_1_2_and_1_3_are_served_with_the_certificate_and_its_intermediate()
    {
        var tls12 = await HandshakeAsync(SslProtocols.Tls12);
        tls12.Protocol.ShouldBe(SslProtocols.Tls12);
        tls12.ChainValid.ShouldBeTrue("the chain sent (leaf + intermediate from fullchain.pem) must lead to the test root");
        tls12.Certificate.SerialNumber.ShouldNotBeNullOrEmpty();

        var tls13 = await HandshakeAsync(SslProtocols.Tls13);
        tls13.Protocol.ShouldBe(SslProtocols.Tls13);
        tls13.ChainValid.ShouldBeTrue();
    }

    [Fact]
    public async Task Tls_1_1_is_refused_for_its_protocol_version()
    {
        // OpenSSL's own client, allowed to speak TLS 1.1 (security level 0). A server that merely fails to find a
        // cipher answers "handshake failure"; one that refuses the version itself answers "protocol version".
        var openssl = Process.Start(new ProcessStartInfo("openssl",
            ["s_client", "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0", "-servername", Host, "-connect", $"127.0.0.1:{gateway.HttpsPort}"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        openssl.StandardInput.Close();
        var output = await openssl.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken)
            + await openssl.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await openssl.WaitForExitAsync(TestContext.Current.CancellationToken);

        openssl.ExitCode.ShouldNotBe(0, output);
        output.ShouldContain("alert protocol version", Case.Insensitive, output);
        output.ShouldNotContain("BEGIN CERTIFICATE");

        // And through .NET: a client limited to TLS 1.1 gets no session.
#pragma warning disable SYSLIB0039, CA5397 // the point of the test
        await Should.ThrowAsync<AuthenticationException>(() => HandshakeAsync(SslProtocols.Tls11));
#pragma warning restore SYSLIB0039, CA5397
    }

    [Fact]
    public async Task Https_answers_carry_hsts()
    {
        using var client = gateway.Client(gateway.HttpsPort);
        using var response = await client.GetAsync($"https://{Host}:{gateway.HttpsPort}/health/live", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Strict-Transport-Security").Single().ShouldBe("max-age=31536000");
    }

    [Theory]
    [InlineData("GET", "/login?next=%2Fmy")]
    [InlineData("GET", "/api/users/me")]
    [InlineData("POST", "/api/users/login")]
    public async Task Plain_http_is_redirected_to_https_keeping_the_method(string method, string pathAndQuery)
    {
        using var client = gateway.Client(gateway.HttpPort);
        using var request = new HttpRequestMessage(new HttpMethod(method), $"http://{Host}:{gateway.HttpPort}{pathAndQuery}");
        if (method == "POST")
            request.Content = new StringContent("""{"email":"a@b.c","password":"x"}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.PermanentRedirect);
        response.Headers.Location.ShouldBe(new Uri($"https://{Host}:{gateway.HttpsPort}{pathAndQuery}"));
        response.Headers.Contains("Strict-Transport-Security").ShouldBeFalse("HSTS over plain HTTP means nothing and is not sent");
    }

    [Fact]
    public async Task Probes_and_certbot_challenges_stay_on_plain_http()
    {
        // Where certbot --webroot -w DIR puts it, after the gateway started.
        var token = "tok_" + Guid.NewGuid().ToString("N");
        var challenges = Directory.CreateDirectory(Path.Combine(gateway.ChallengeDirectory, ".well-known", "acme-challenge")).FullName;
        await File.WriteAllTextAsync(Path.Combine(challenges, token), token + ".thumbprint", TestContext.Current.CancellationToken);
        using var client = gateway.Client(gateway.HttpPort);

        using var challenge = await client.GetAsync($"http://{Host}:{gateway.HttpPort}/.well-known/acme-challenge/{token}", TestContext.Current.CancellationToken);
        challenge.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await challenge.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldBe(token + ".thumbprint");

        using var unknown = await client.GetAsync($"http://{Host}:{gateway.HttpPort}/.well-known/acme-challenge/..%2Fsecret", TestContext.Current.CancellationToken);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        using var live = await client.GetAsync($"http://{Host}:{gateway.HttpPort}/health/live", TestContext.Current.CancellationToken);
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Metrics_tell_when_the_served_certificate_expires()
    {
        var served = (await HandshakeAsync(SslProtocols.Tls13)).Certificate;
        using var client = gateway.Client(gateway.HttpPort);

        var metrics = await client.GetStringAsync($"http://127.0.0.1:{gateway.HttpPort}/metrics", TestContext.Current.CancellationToken);

        var expiry = new DateTimeOffset(served.NotAfter.ToUniversalTime()).ToUnixTimeSeconds();
        metrics.ShouldContain($"derp_gateway_certificate_expiry_timestamp_seconds {expiry}\n");
    }

    [Fact]
    public async Task A_renewed_certificate_is_served_without_a_restart_and_no_request_fails_meanwhile()
    {
        var ct = TestContext.Current.CancellationToken;
        string? lastSeen = null;
        using var fresh = gateway.Client(gateway.HttpsPort, certificate => Volatile.Write(ref lastSeen, certificate.SerialNumber));
        // A connection opened before the renewal, kept alive across it.
        using var keptAlive = gateway.Client(gateway.HttpsPort);
        (await keptAlive.GetAsync($"https://{Host}:{gateway.HttpsPort}/health/live", ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Traffic during the whole renewal: new connections each time, every one must succeed.
        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var requests = 0;
        var traffic = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var client = gateway.Client(gateway.HttpsPort);
                    using var response = await client.GetAsync($"https://{Host}:{gateway.HttpsPort}/health/live", ct);
                    if (response.StatusCode != HttpStatusCode.OK) lock (failures) failures.Add(response.StatusCode.ToString());
                }
                catch (HttpRequestException e) { lock (failures) failures.Add(e.GetBaseException().Message); }
                Interlocked.Increment(ref requests);
            }
        }, ct);

        // A copy caught half way (new certificate, old key) is not taken: the old certificate goes on being served.
        var renewed = gateway.Certificates.NewLeaf();
        gateway.Certificates.WriteAndLink(renewed.FullChainPem, "fullchain-half.pem", gateway.Certificates.FullChainPath);
        await Task.Delay(TimeSpan.FromMilliseconds(600), ct); // three reload checks with the mismatched pair on disk
        (await fresh.GetAsync($"https://{Host}:{gateway.HttpsPort}/health/live", ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        lastSeen.ShouldBe(gateway.FirstSerial);

        gateway.Certificates.Install(renewed);
        await Until.TrueAsync(async () =>
        {
            using var client = gateway.Client(gateway.HttpsPort, certificate => Volatile.Write(ref lastSeen, certificate.SerialNumber));
            using var response = await client.GetAsync($"https://{Host}:{gateway.HttpsPort}/health/live", ct);
            return Volatile.Read(ref lastSeen) == renewed.Serial;
        }, "new connections to get the renewed certificate", TimeSpan.FromSeconds(20));

        await Until.TrueAsync(() => Task.FromResult(Volatile.Read(ref requests) >= 20), "some traffic across the renewal", TimeSpan.FromSeconds(20));
        await stop.CancelAsync();
        await traffic;
        lock (failures) failures.ShouldBeEmpty();
        // The connection from before the renewal still works.
        (await keptAlive.GetAsync($"https://{Host}:{gateway.HttpsPort}/health/live", ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
