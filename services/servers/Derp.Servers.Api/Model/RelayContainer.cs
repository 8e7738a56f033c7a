namespace Derp.Servers.Api.Model;

public static class ContainerStates
{
    /// <summary>Ports reserved, not yet running on the host.</summary>
    public const string Pending = "pending";
    public const string Running = "running";
    /// <summary>Kept on the host but stopped (rental expired, over quota, or an admin).</summary>
    public const string Stopped = "stopped";
    /// <summary>Gave up on this host; a replacement went elsewhere. Ports are free again.</summary>
    public const string Failed = "failed";
    public const string Removed = "removed";

    /// <summary>States that hold ports on their host (the unique indexes cover exactly these).</summary>
    public static readonly IReadOnlyList<string> Live = [Pending, Running, Stopped];
    public static readonly IReadOnlyList<string> All = [Pending, Running, Stopped, Failed, Removed];
}

/// <summary>One renter's derper container on one host, with its own DERP (TCP) and STUN (UDP) ports.</summary>
public sealed class RelayContainer
{
    public Guid Id { get; set; }
    public Guid ServerId { get; set; }
    public Guid UserId { get; set; }
    public Guid RentalId { get; set; }
    public int DerpPort { get; set; }
    public int StunPort { get; set; }
    public required string Name { get; set; }
    public string? DockerId { get; set; }
    public required string State { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public bool? ProbeOk { get; set; }
    public DateTimeOffset? ProbedAt { get; set; }
    /// <summary>Bytes relayed since the container was created (received + sent), accumulated across engine restarts.</summary>
    public long RxBytes { get; set; }
    public long TxBytes { get; set; }
    /// <summary>The engine's counters at the last reading; a smaller reading means the container restarted.</summary>
    public long LastRxCounter { get; set; }
    public long LastTxCounter { get; set; }
    public DateTimeOffset? StatsAt { get; set; }
    public long RateBytesPerSecond { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RemovedAt { get; set; }

    public Server? Server { get; set; }
}

/// <summary>What the servers service knows of a renter's rental, kept from the users service's events.</summary>
public sealed class Renter
{
    public Guid UserId { get; set; }
    public Guid RentalId { get; set; }
    public bool Active { get; set; }
    public bool Deregistered { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public long? QuotaBytes { get; set; }
    public DateTimeOffset PeriodStartedAt { get; set; }
    public long PeriodBytes { get; set; }
    public bool OverQuota { get; set; }
    /// <summary>The relay set last announced in <c>ContainersProvisioned</c>: the same set is never announced twice.</summary>
    public string? AnnouncedRelays { get; set; }
}

public static class AlertSeverities
{
    public const string Info = "info";
    public const string Warning = "warning";
    public const string Critical = "critical";

    public static readonly IReadOnlyList<string> All = [Info, Warning, Critical];
}

public sealed class Alert
{
    public long Id { get; set; }
    public required string Type { get; set; }
    public required string Severity { get; set; }
    public required string Message { get; set; }
    public Guid? ServerId { get; set; }
    public Guid? UserId { get; set; }
    /// <summary>While an alert with this key is open, the same condition raises no new one.</summary>
    public required string Key { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public Guid? ResolvedBy { get; set; }
}
