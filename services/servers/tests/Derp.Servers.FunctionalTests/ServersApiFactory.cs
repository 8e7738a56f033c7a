using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Derp.Contracts.Users;
using Derp.Servers.Api.Infrastructure;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Security;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Servers.FunctionalTests;

/// <summary>
/// The servers service against four real hosts: sshd instances on loopback (one per host, each stoppable) in front of
/// this machine's podman. Containers carry this instance's label and are removed with it.
/// </summary>
public class ServersApiFactory : ServiceFactory<Program>
{
    public ServersApiFactory() : base("servers") { }

    public const string AdmissionSecret = "test-admission-secret-0123456789abcdef";
    public string Label { get; } = $"test-{Guid.NewGuid():N}"[..20];
    private readonly string _runtime = $"/tmp/dst-{Guid.NewGuid():N}"[..17];
    // The classes of one test process take consecutive blocks from a random start: blocks drawn at random for each of
    // the seven classes running at once could coincide, and a relay whose port another class's relay holds cannot start.
    private static int _lastBlock = Random.Shared.Next(0, 200);

    /// <summary>A block of relay ports of its own, so classes running in parallel on one engine never collide.</summary>
    public int PortBase { get; } = 40_000 + Interlocked.Increment(ref _lastBlock) % 200 * 100;

    public static readonly (string Code, string Name)[] Regions = [("hkg", "Hong Kong"), ("sgp", "Singapore"), ("tyo", "Tokyo"), ("fra", "Frankfurt")];

    public sealed record Host(Guid Id, string Name, string RegionCode, SshdProcess Sshd);

    public List<Host> Hosts { get; } = [];

    /// <summary>How many of <see cref="Regions"/> get a host (one each).</summary>
    protected virtual int HostCount => Regions.Length;

    /// <summary>Relays each host takes (its port range is twice that, inside the class's block of 100 ports).</summary>
    protected virtual int HostCapacity => 5;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new(AdmissionTokens.SecretSetting, AdmissionSecret),
        new("Servers:EncryptionKey", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))),
        new("Servers:RuntimeDirectory", _runtime),
        new("Servers:InstanceLabel", Label),
        new("Servers:ProvisionRetryDelay", "00:00:00.100"),
        new("Servers:ReconcileRetryDelay", "00:00:01"),
        new("Servers:Relay:ProbeScheme", "http"),
        new("Servers:Relay:BindAddress", "127.0.0.1"),
        // As the demo hosts run them (scripts/platform.sh): relays reach this machine's loopback as 10.0.2.2.
        new("Servers:Relay:NetworkMode", "slirp4netns:allow_host_loopback=true,port_handler=slirp4netns"),
        new("Servers:Relay:AdmissionUrl", "http://127.0.0.1:8080/api/acl/derp/admit"),
        // The tests run the jobs' work themselves, at the moments they choose.
        new("Servers:Jobs:Health", "0 0 0 1 1 ? 2099"),
        new("Servers:Jobs:Traffic", "0 0 0 1 1 ? 2099"),
        new("Servers:Jobs:Reconcile", "0 0 0 1 1 ? 2099"),
        // The reconcile loop runs when a delivery or an endpoint wakes it, not on its own timer: what a test observes
        // between two steps stays put until the test runs the next one.
        new("Servers:ReconcilePollInterval", "01:00:00"),
    ];

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        for (var i = 0; i < HostCount; i++)
            Hosts.Add(await RegisterHostAsync($"{Regions[i].Code}-1", Regions[i].Code, Regions[i].Name, PortBase + i * Math.Max(20, 2 * HostCapacity), capacity: HostCapacity));
    }

    public async Task<Host> RegisterHostAsync(string name, string regionCode, string regionName, int firstPort, int capacity)
    {
        var sshd = await SshdProcess.StartAsync();
        var response = await Admin().PostAsJsonAsync("/api/servers", Registration(name, regionCode, regionName, sshd.Port, sshd.Fingerprint, firstPort, capacity));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return new Host(id, name, regionCode, sshd);
    }

    public static object Registration(string name, string regionCode, string regionName, int sshPort, string fingerprint, int firstPort, int capacity) => new
    {
        name,
        publicIp = "127.0.0.1",
        regionCode,
        regionName,
        location = "本机",
        cloudAccount = "13800138000",
        sshHost = "127.0.0.1",
        sshPort,
        sshUser = SshdProcess.User,
        sshPrivateKey = SshdProcess.PrivateKey,
        hostKeyFingerprint = fingerprint,
        dockerSocket = TestInfrastructure.DockerSocket,
        capacity,
        portRangeStart = firstPort,
        portRangeEnd = firstPort + capacity * 2 - 1,
        monthlyTrafficGb = 100,
    };

    public HttpClient Admin() => ClientAs(Guid.NewGuid(), Roles.Admin);

    public Task SendAsync<T>(T message, Guid? messageId = null) where T : class =>
        RabbitMqProbe.SendToConsumerAsync(EndpointPrefix, message, messageId);

    public RentalActivated Rental(Guid userId, int? quotaGb = 100) =>
        new(Guid.NewGuid(), userId, Guid.NewGuid(), Clock.GetUtcNow(), Clock.GetUtcNow().AddDays(30), null, quotaGb, null);

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public Task InScopeAsync(Func<IServiceProvider, Task> action) => InScopeAsync(async sp => { await action(sp); return true; });

    /// <summary>
    /// The renter's running relays once there are <paramref name="count"/> (a placement that failed on a slow host and
    /// was replaced leaves a failed row without an engine id beside them: it is not returned). While waiting, due
    /// retries are run as the loop's poll would run them (a relay start that failed on a loaded machine is tried
    /// again after <c>ReconcileRetryDelay</c>, here one second), so a transient host failure delays, never fails, a test.
    /// </summary>
    public async Task<List<Derp.Servers.Api.Model.RelayContainer>> WaitForRunningAsync(Guid userId, int count = 3) =>
        (await Until.ValueAsync(async () =>
            {
                var containers = await ContainersOfAsync(userId);
                if (containers.Count(c => c.State == Derp.Contracts.Servers.ContainerStates.Running) != count)
                    await InScopeAsync(sp => sp.GetRequiredService<Derp.Servers.Api.Services.Reconciler>().RunDueAsync(CancellationToken.None));
                return containers;
            },
            list => list.Count(c => c.State == Derp.Contracts.Servers.ContainerStates.Running) == count, $"{count} running relays for {userId}"))
        .Where(c => c.State == Derp.Contracts.Servers.ContainerStates.Running).ToList();

    public Task<List<Derp.Servers.Api.Model.RelayContainer>> ContainersOfAsync(Guid userId) =>
        InScopeAsync(sp => sp.GetRequiredService<ServersContext>().Containers.AsNoTracking().Include(c => c.Server)
            .Where(c => c.UserId == userId).OrderBy(c => c.CreatedAt).ToListAsync());

    /// <summary>The engine itself, without the service: what really runs.</summary>
    public static HttpClient Engine() => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, token) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(TestInfrastructure.DockerSocket), token);
            return new NetworkStream(socket, ownsSocket: true);
        },
    }) { BaseAddress = new Uri("http://docker/v1.41/") };

    public static async Task<JsonElement?> InspectAsync(string dockerId)
    {
        using var engine = Engine();
        var response = await engine.GetAsync($"containers/{dockerId}/json");
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public override async ValueTask DisposeAsync()
    {
        using (var engine = Engine())
        {
            var filters = Uri.EscapeDataString($"{{\"label\":[\"derp.managed={Label}\"]}}");
            var containers = await engine.GetFromJsonAsync<List<JsonElement>>($"containers/json?all=true&filters={filters}") ?? [];
            foreach (var container in containers)
                await engine.DeleteAsync($"containers/{container.GetProperty("Id").GetString()}?force=true");
        }
        await base.DisposeAsync();
        foreach (var host in Hosts)
            await host.Sshd.DisposeAsync();
        if (Directory.Exists(_runtime))
            Directory.Delete(_runtime, recursive: true);
        GC.SuppressFinalize(this);
    }
}
