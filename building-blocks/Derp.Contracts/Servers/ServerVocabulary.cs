namespace Derp.Contracts.Servers;

// Vocabularies: the strings this service stores, publishes and serves. They live here, beside the events, so every
// service and the web portal (web/src/lib/vocabulary.generated.ts, `make vocabulary`) use one definition (ADR-013).

public static class ServerStatuses
{
    public const string Active = "active";
    public const string Draining = "draining";
    public const string Unhealthy = "unhealthy";
    public const string Removed = "removed";

    public static readonly IReadOnlyList<string> All = [Active, Draining, Unhealthy, Removed];
}

/// <summary>
/// What a container is, as its engine last said (ADR-008: the state shown is observed, never assumed). Only the
/// reconciler writes it, from the engine's answers.
/// </summary>
public static class ContainerStates
{
    /// <summary>Ports reserved, not yet created on the host.</summary>
    public const string Pending = "pending";
    public const string Running = "running";
    /// <summary>Kept on the host but stopped on purpose (rental expired, over quota, or an admin).</summary>
    public const string Stopped = "stopped";
    /// <summary>Not running on its engine although it should be (it died): the reconciler restarts or replaces it.</summary>
    public const string Exited = "exited";
    /// <summary>Gave up on this host; a replacement went elsewhere. Ports are free again.</summary>
    public const string Failed = "failed";
    public const string Removed = "removed";

    /// <summary>States that hold ports on their host (the unique indexes cover exactly these).</summary>
    public static readonly IReadOnlyList<string> Live = [Pending, Running, Stopped, Exited];
    public static readonly IReadOnlyList<string> All = [Pending, Running, Stopped, Exited, Failed, Removed];
}

public static class AlertSeverities
{
    public const string Info = "info";
    public const string Warning = "warning";
    public const string Critical = "critical";

    public static readonly IReadOnlyList<string> All = [Info, Warning, Critical];
}

public static class ProvisioningReasons
{
    public const string Rental = "rental";
    public const string HostRemoved = "host_removed";
    public const string Reprovisioned = "reprovisioned";

    public static readonly IReadOnlyList<string> All = [Rental, HostRemoved, Reprovisioned];
}

/// <summary>What an alert is about; an open alert is deduplicated by its key while unresolved.</summary>
public static class AlertTypes
{
    public const string HostUnhealthy = "host_unhealthy";
    public const string HostRecovered = "host_recovered";
    public const string CapacityShort = "capacity_short";
    public const string RegionsShort = "regions_short";
    public const string ProvisioningFailed = "provisioning_failed";
    public const string ContainerChangeFailed = "container_change_failed";
    public const string RemoveFailed = "remove_failed";
    public const string RelayUnreachable = "relay_unreachable";
    public const string TrafficRate = "traffic_rate";
    public const string HostAllowance = "host_allowance";
    public const string QuotaExceeded = "quota_exceeded";

    public static readonly IReadOnlyList<string> All =
        [HostUnhealthy, HostRecovered, CapacityShort, RegionsShort, ProvisioningFailed, ContainerChangeFailed, RemoveFailed,
         RelayUnreachable, TrafficRate, HostAllowance, QuotaExceeded];
}

// --- renter (issue 14): what a renter sees of their relays (GET /api/servers/my/relays) ---

/// <summary>The renter's relay set as a whole.</summary>
public static class RelaySetStates
{
    /// <summary>No rental has reached the servers service for this renter.</summary>
    public const string None = "none";
    /// <summary>Relays should run and not all of them do yet (placing, creating, starting, moving).</summary>
    public const string Provisioning = "provisioning";
    public const string Running = "running";
    /// <summary>Relays are stopped on purpose: see <see cref="RelayStopReasons"/>.</summary>
    public const string Stopped = "stopped";

    public static readonly IReadOnlyList<string> All = [None, Provisioning, Running, Stopped];
}

public static class RelayStopReasons
{
    public const string Expired = "expired";
    public const string OverQuota = "over_quota";
    public const string Closed = "closed";

    public static readonly IReadOnlyList<string> All = [Expired, OverQuota, Closed];
}

/// <summary>The steps one relay goes through before it serves the renter, in order.</summary>
public static class ProvisioningSteps
{
    /// <summary>A host in a region was chosen and the relay's ports reserved on it.</summary>
    public const string Placed = "placed";
    /// <summary>The container exists on the host's engine.</summary>
    public const string Created = "created";
    public const string Started = "started";
    /// <summary>The relay set was handed to acl, which writes it into the renter's policy.</summary>
    public const string Announced = "announced";
    /// <summary>The relay answered the health check's probe.</summary>
    public const string Answering = "answering";

    public static readonly IReadOnlyList<string> All = [Placed, Created, Started, Announced, Answering];
}
