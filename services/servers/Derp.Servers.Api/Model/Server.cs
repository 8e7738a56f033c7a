using Derp.Contracts.Servers;

namespace Derp.Servers.Api.Model;

/// <summary>A DERP host: a machine with a Docker engine reached over SSH, running one relay container per renter.</summary>
public sealed class Server
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string PublicIp { get; set; }
    /// <summary>derper's <c>-hostname</c>: a DNS name with a certificate, or the public IP (IP certificate mode).</summary>
    public required string HostName { get; set; }
    public required string RegionCode { get; set; }
    public required string RegionName { get; set; }
    /// <summary>Requirements §6.1: where the IP is located (domestic address).</summary>
    public string? Location { get; set; }
    /// <summary>Requirements §6.1: the cloud account (Aliyun phone number) the machine belongs to.</summary>
    public string? CloudAccount { get; set; }
    public required string SshHost { get; set; }
    public int SshPort { get; set; }
    public required string SshUser { get; set; }
    /// <summary>AES-GCM with the service's key from configuration; never returned or logged.</summary>
    public required string SshPrivateKeyProtected { get; set; }
    public required string HostKeyFingerprint { get; set; }
    /// <summary>The public host key whose fingerprint matched the pinned one at registration.</summary>
    public required string HostKey { get; set; }
    public required string DockerSocket { get; set; }
    public int Capacity { get; set; }
    public int PortRangeStart { get; set; }
    public int PortRangeEnd { get; set; }
    public long? MonthlyTrafficGb { get; set; }
    public required string Status { get; set; }
    public int ConsecutiveFailures { get; set; }
    public int ConsecutiveSuccesses { get; set; }
    public double? LatencyMs { get; set; }
    public DateTimeOffset? LastCheckedAt { get; set; }
    public string? LastError { get; set; }
    public long RateBytesPerSecond { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RemovedAt { get; set; }

    /// <summary>New relays go only to active hosts (not draining, unhealthy or removed).</summary>
    public bool AcceptsRelays => Status == ServerStatuses.Active;

    public int Slots => Math.Min(Capacity, (PortRangeEnd - PortRangeStart + 1) / 2);

    /// <summary>Traffic plans and allowances are in GB of 2^30 bytes, as the engines count bytes.</summary>
    public const long BytesPerGb = 1024L * 1024L * 1024L;
}

/// <summary>One health check of a host, kept for the trend charts (retention in <c>Servers:SampleRetention</c>).</summary>
public sealed class HostSample
{
    public long Id { get; set; }
    public Guid ServerId { get; set; }
    public DateTimeOffset At { get; set; }
    public bool Reachable { get; set; }
    public double? LatencyMs { get; set; }
    public long RateBytesPerSecond { get; set; }
    public int Containers { get; set; }
}

/// <summary>Bytes relayed by a host in a calendar month (UTC), against its monthly allowance.</summary>
public sealed class HostTrafficMonth
{
    /// <summary>The month key (UTC, "yyyy-MM") an instant falls in.</summary>
    public static string Of(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    public Guid ServerId { get; set; }
    public required string Month { get; set; }
    public long Bytes { get; set; }
}

/// <summary>Bytes a renter's relays moved on one UTC day: the renter's traffic trend (written with each traffic reading).</summary>
public sealed class RenterTrafficDay
{
    public Guid UserId { get; set; }
    public DateOnly Day { get; set; }
    public long Bytes { get; set; }
}
