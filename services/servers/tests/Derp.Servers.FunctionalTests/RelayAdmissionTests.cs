using Derp.Contracts.Servers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Derp.Servers.Api.Model;
using Derp.ServiceDefaults.Security;
using Derp.TestSupport;

namespace Derp.Servers.FunctionalTests;

/// <summary>
/// The servers service whose relays (on slirp4netns, reaching this machine's loopback as 10.0.2.2) ask an admission
/// endpoint of the test's own on loopback, standing in for acl behind the gateway.
/// </summary>
public sealed class RelayAdmissionFactory : ServersApiFactory
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _port;

    public sealed record AdmissionRequest(string Target, string? Token, string NodePublic, string Source);

    public ConcurrentQueue<AdmissionRequest> Requests { get; } = new();
    public ConcurrentDictionary<string, bool> AllowedKeys { get; } = new();

    public RelayAdmissionFactory()
    {
        _listener.Start();
        _port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Task.Run(AcceptAsync);
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    /// <summary>
    /// A minimal HTTP/1.1 server on loopback (an HttpListener would refuse the relay's Host header, 10.0.2.2): answers
    /// as acl's admission does, <c>{"Allow":…}</c> for the node key in the body.
    /// </summary>
    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.ASCII);
            var target = (await reader.ReadLineAsync())?.Split(' ')[1] ?? "";
            var length = 0;
            for (var header = await reader.ReadLineAsync(); !string.IsNullOrEmpty(header); header = await reader.ReadLineAsync())
                if (header.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    length = int.Parse(header["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            var buffer = new char[length];
            await reader.ReadBlockAsync(buffer, 0, length);
            using var body = JsonDocument.Parse(new string(buffer));
            var query = System.Web.HttpUtility.ParseQueryString(new Uri("http://relay" + target).Query);
            var request = new AdmissionRequest(target, query["token"], body.RootElement.GetProperty("NodePublic").GetString()!,
                body.RootElement.GetProperty("Source").GetString()!);
            Requests.Enqueue(request);
            var answer = JsonSerializer.Serialize(new { Allow = AllowedKeys.ContainsKey(request.NodePublic) });
            var response = Encoding.ASCII.GetBytes(
                $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {answer.Length}\r\nConnection: close\r\n\r\n{answer}");
            await stream.WriteAsync(response);
        }
    }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        .. base.Settings(),
        new("Servers:Relay:AdmissionUrl", $"http://10.0.2.2:{_port}/admit"),
    ];

    public override async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await base.DisposeAsync();
    }
}

/// <summary>Relays ask admission for every client as derper does (the stand-in's handshake is in deploy/relay-standin/derper).</summary>
public sealed class RelayAdmissionTests(RelayAdmissionFactory factory) : IClassFixture<RelayAdmissionFactory>
{
    private static string NodeKey() => "nodekey:" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>A client connection to the relay's DERP port that has sent its node key as its first line.</summary>
    private static async Task<(TcpClient Client, StreamReader Reader, StreamWriter Writer)> ConnectAsync(int port, string nodeKey)
    {
        var client = await Until.ValueAsync(async () =>
        {
            var tcp = new TcpClient();
            try
            {
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                return tcp;
            }
            catch (SocketException)
            {
                tcp.Dispose();
                return null;
            }
        }, c => c is not null, $"the relay listening on {port}");
        var stream = client!.GetStream();
        var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true };
        await writer.WriteLineAsync(nodeKey);
        return (client, new StreamReader(stream, Encoding.UTF8), writer);
    }

    private static async Task<string?> ReadLineAsync(StreamReader reader)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await reader.ReadLineAsync(deadline.Token);
    }

    [Fact]
    public async Task A_relay_asks_admission_with_its_token_for_each_client_and_disconnects_a_refused_one()
    {
        var userId = Guid.NewGuid();
        await factory.SendAsync(factory.Rental(userId));
        var relay = (await Until.ValueAsync(() => factory.ContainersOfAsync(userId),
            l => l.Count(c => c.State == ContainerStates.Running) == 3, "three running relays"))[0];
        var token = AdmissionTokens.Create(ServersApiFactory.AdmissionSecret, userId, relay.Id);
        // A just-started relay answers its probe once it listens.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Until.TrueAsync(async () =>
        {
            try
            {
                return (await http.GetStringAsync($"http://127.0.0.1:{relay.DerpPort}/derp/probe")).Trim() == "ok";
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the relay answering its probe");

        var allowed = NodeKey();
        factory.AllowedKeys[allowed] = true;
        var (client, reader, writer) = await ConnectAsync(relay.DerpPort, allowed);
        using (client)
        {
            (await ReadLineAsync(reader)).ShouldBe("ok");
            await writer.WriteLineAsync("through the relay");
            (await ReadLineAsync(reader)).ShouldBe("through the relay", "an admitted client stays connected");
        }
        var asked = factory.Requests.ShouldHaveSingleItem();
        asked.Token.ShouldBe(token, "the relay's own token, from its -verify-client-url");
        asked.NodePublic.ShouldBe(allowed);
        asked.Source.ShouldMatch(@"^\d{1,3}(\.\d{1,3}){3}:\d{1,5}$");

        var refused = NodeKey();
        var (other, otherReader, _) = await ConnectAsync(relay.DerpPort, refused);
        using (other)
        {
            (await ReadLineAsync(otherReader)).ShouldBe("denied");
            (await ReadLineAsync(otherReader)).ShouldBeNull("the relay closed the refused connection");
        }
        factory.Requests.Select(r => r.NodePublic).ShouldContain(refused);
        factory.Requests.ShouldAllBe(r => r.Token == token);

        // A malformed key is refused without asking.
        var (malformed, malformedReader, _) = await ConnectAsync(relay.DerpPort, "nodekey:xyz");
        using (malformed)
            (await ReadLineAsync(malformedReader)).ShouldBe("denied");
        factory.Requests.Count.ShouldBe(2);
    }
}
