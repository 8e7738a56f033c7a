namespace Derp.Servers.Api.Services;

public sealed class ServersOptions
{
    public const string Section = "Servers";

    /// <summary>Base64 of 32 bytes: encrypts hosts' SSH private keys in the database.</summary>
    public string? EncryptionKey { get; set; }
    /// <summary>Where each host's key file, known_hosts and forwarded Docker socket live (mode 0700; short: socket paths are limited).</summary>
    public string RuntimeDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "derp-servers");
    public TimeSpan SshConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan DockerTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Requirements §7.1: three relays per renter, in three regions when there are three.</summary>
    public int RelaysPerRenter { get; set; } = 3;
    /// <summary>Tries on one host before its relay goes to another host.</summary>
    public int ProvisionAttempts { get; set; } = 3;
    public TimeSpan ProvisionRetryDelay { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>How often the reconcile loop looks for requests of other replicas and due retries (it is also woken at once).</summary>
    public TimeSpan ReconcilePollInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>A renter whose host work failed is reconciled again after this pause.</summary>
    public TimeSpan ReconcileRetryDelay { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>
    /// Renters one replica reconciles at once (each renter's relays start in parallel too): a crowd of new renters is
    /// provisioned side by side instead of one after another, while the hosts' engines are not flooded.
    /// </summary>
    public int ReconcileParallelism { get; set; } = 8;
    /// <summary>How long one reconciler owns a renter; a crashed replica's claim runs out after it.</summary>
    public TimeSpan ReconcileLease { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>A relay that died is started again this many times on its host, then replaced on another host.</summary>
    public int MaxRestarts { get; set; } = 3;
    /// <summary>
    /// A renter's relay that failed on a host goes to that host again within this time only when no other host can take
    /// it, and not again in the pass it failed in (a renter left short is tried again after <see cref="ReconcileRetryDelay"/>).
    /// </summary>
    public TimeSpan AvoidFailedHostFor { get; set; } = TimeSpan.FromHours(24);
    /// <summary>Consecutive failed checks before a host is unhealthy, and good ones before it is active again (no flapping).</summary>
    public int UnhealthyAfter { get; set; } = 3;
    public int HealthyAfter { get; set; } = 2;
    public TimeSpan SampleRetention { get; set; } = TimeSpan.FromDays(30);
    /// <summary>A relay moving more than this is an anomaly (requirements §6.6).</summary>
    public long RateAlertBytesPerSecond { get; set; } = 100L * 1024 * 1024;
    /// <summary>Label on every container this platform creates; hosts may run other things, and copies share demo hosts.</summary>
    public string InstanceLabel { get; set; } = "derp";
    public RelayOptions Relay { get; set; } = new();
    public DemoHostsOptions DemoHosts { get; set; } = new();
}

/// <summary>How relay containers are created (derper flags from here: production sets the derper image and its modes).</summary>
public sealed class RelayOptions
{
    public string Image { get; set; } = "localhost/derp-relay-standin:latest";
    /// <summary>Host address the relay ports are published on; empty means every address.</summary>
    public string BindAddress { get; set; } = "";
    public int MemoryMb { get; set; } = 256;
    public double Cpus { get; set; } = 1.0;
    public string RestartPolicy { get; set; } = "unless-stopped";
    /// <summary>
    /// The engine's network for relays; empty is its default bridge. The demo hosts and tests use
    /// "slirp4netns:allow_host_loopback=true,port_handler=slirp4netns": a stand-in relay then reaches admission on this
    /// machine's loopback (as 10.0.2.2), as a real relay reaches the gateway, and its traffic still passes its own
    /// interface (the engine's stats count it).
    /// </summary>
    public string NetworkMode { get; set; } = "";
    /// <summary>derper's -certmode: "manual" serves a certificate from -certdir (derper makes one for an IP host name), "letsencrypt" for DNS names.</summary>
    public string CertMode { get; set; } = "manual";
    public string CertDir { get; set; } = "/var/lib/derper/certs";
    /// <summary>The acl service's admission endpoint as relays reach it (through the gateway in production).</summary>
    public string AdmissionUrl { get; set; } = "http://127.0.0.1:8080/api/acl/derp/admit";
    public List<string> ExtraArgs { get; set; } = [];
    /// <summary>The relays' health probe: derper answers /derp/probe; the stand-in image speaks plain HTTP.</summary>
    public string ProbeScheme { get; set; } = "https";
    public string ProbePath { get; set; } = "/derp/probe";
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(3);
    /// <summary>Relays speak TLS (derper); the stand-in speaks plain HTTP and has no certificate to pin.</summary>
    public bool ServesTls => ProbeScheme == "https";
}

/// <summary>`make up` registers this machine as demo hosts (loopback sshd instances in front of podman).</summary>
public sealed class DemoHostsOptions
{
    public bool Enabled { get; set; }
    public string SshHost { get; set; } = "127.0.0.1";
    public List<int> SshPorts { get; set; } = [2222, 2223, 2224];
    public string SshUser { get; set; } = "derphost";
    public string PrivateKeyPath { get; set; } = "/var/tmp/derp/ssh/platform_ed25519";
    public string HostKeyPath { get; set; } = "/var/tmp/derp/ssh/host_ed25519_key.pub";
    public string DockerSocket { get; set; } = "/run/podman/podman.sock";
    public int FirstPort { get; set; } = 30000;
}
