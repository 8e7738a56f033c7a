using Derp.ServiceDefaults.Rentals;

namespace Derp.Servers.Api.Model;

/// <summary>What an admin (or the platform) wants of one container; the renter's rental decides the rest (ADR-008).</summary>
public static class DesiredStates
{
    public const string Running = "running";
    public const string Stopped = "stopped";
    public const string Removed = "removed";
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
    /// <summary>An admin's or the platform's wish for this container (running unless stopped or rebuilt).</summary>
    public string Desired { get; set; } = DesiredStates.Running;
    /// <summary>The engine's own status word at the last observation (running, exited, created, missing, ...).</summary>
    public string? EngineState { get; set; }
    public DateTimeOffset? ObservedAt { get; set; }
    /// <summary>Times the reconciler started it again after it died; past the limit it is replaced on another host.</summary>
    public int Restarts { get; set; }
    /// <summary><c>sha256-raw:…</c> of the certificate the relay serves for an IP host name (derper's IP-certificate mode).</summary>
    public string? CertName { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public bool? ProbeOk { get; set; }
    public DateTimeOffset? ProbedAt { get; set; }
    /// <summary>How long the last probe took to answer (null when it did not answer): the latency a renter sees.</summary>
    public double? ProbeLatencyMs { get; set; }
    /// <summary>
    /// When <see cref="State"/> last changed (database time). Written by a database trigger, not by the code: every
    /// writer of the state (placement, the reconciler, the observer's bulk update) is covered without each remembering it.
    /// </summary>
    public DateTimeOffset StateSince { get; set; }
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

/// <summary>
/// What the servers service knows of a renter's rental, kept from the users service's events by the shared
/// <see cref="RentalProjection"/> rule, and the renter's place in the reconcile queue (ADR-008).
/// </summary>
public sealed class Renter : IRentalProjection
{
    public Guid UserId { get; set; }
    public Guid? RentalId { get; set; }
    public bool RentalActive { get; set; }
    public bool Deregistered { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public long? QuotaBytes { get; set; }
    public DateTimeOffset PeriodStartedAt { get; set; }
    public long PeriodBytes { get; set; }
    public bool OverQuota { get; set; }
    /// <summary>The relay set last announced in <c>ContainersProvisioned</c>: the same set is never announced twice.</summary>
    public string? AnnouncedRelays { get; set; }
    /// <summary>Bumped by whoever changes what the renter's relays should be; the reconciler is done when it caught up.</summary>
    public long ReconcileRequested { get; set; }
    public long ReconcileDone { get; set; }
    /// <summary>Why the last request was made: the reason of the <c>ContainersProvisioned</c> that follows.</summary>
    public string? ReconcileReason { get; set; }
    /// <summary>The address behind the last rental change (the renter's redemption, an admin's extension), passed on
    /// in the next <c>ContainersProvisioned</c> so acl logs the policy version with it.</summary>
    public string? RequestedFromIp { get; set; }
    /// <summary>A failed host call is tried again from here (database time).</summary>
    public DateTimeOffset? ReconcileRetryAt { get; set; }
    /// <summary>While set in the future one reconciler (of any replica) owns this renter (database time).</summary>
    public DateTimeOffset? ReconcileLeaseUntil { get; set; }

    /// <summary>Relays should run: a paid rental within its quota, on an open account.</summary>
    public bool WantsRelays => RentalActive && !Deregistered && !OverQuota;

    /// <summary>Records a change the reconciler must bring to the hosts (in the caller's transaction).</summary>
    public void RequestReconcile(string? reason = null)
    {
        ReconcileRequested++;
        if (reason is not null)
            ReconcileReason = reason;
    }
}

public sealed class Alert
{
    public long Id { get; set; }
    public required string Type { get; set; }
    public required string Severity { get; set; }
    public required string Message { get; set; }
    public Guid? ServerId { get; set; }
    public Guid? UserId { get; set; }
    /// <summary>The container the alert is about: it resolves itself when the container is removed.</summary>
    public Guid? ContainerId { get; set; }
    /// <summary>While an alert with this key is open, the same condition raises no new one.</summary>
    public required string Key { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public Guid? ResolvedBy { get; set; }
}
