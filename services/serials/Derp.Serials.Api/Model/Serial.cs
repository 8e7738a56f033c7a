namespace Derp.Serials.Api.Model;

public sealed class SerialBatch
{
    public Guid Id { get; set; }
    public required string Prefix { get; set; }
    public required string Kind { get; set; }
    public int Count { get; set; }
    public int CodeLength { get; set; }
    public Guid? PlanId { get; set; }
    public int? DurationDays { get; set; }
    public int? DurationHours { get; set; }
    public int? TrafficQuotaGb { get; set; }
    public long? ValueCents { get; set; }
    public int ValidDays { get; set; }
    public required string BindingPolicy { get; set; }

    /// <summary>The licence data key (KERNAL_DATA_KEY, requirements §3.6) for this batch, AES-GCM encrypted; null means the global key.</summary>
    public string? DataKeyCiphertext { get; set; }

    public Guid? DistributorId { get; set; }

    /// <summary>The distributor's paid serial request this batch was made for (one batch per request; unique).</summary>
    public Guid? RequestId { get; set; }

    public string? Remark { get; set; }
    public Guid CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class Serial
{
    public Guid Id { get; set; }
    public required string Prefix { get; set; }
    public required string Code { get; set; }
    public required string FullCode { get; set; }
    public required string Kind { get; set; }
    public required string Status { get; set; }

    /// <summary>What to return to when a disabled serial is enabled again.</summary>
    public string? StatusBeforeDisable { get; set; }

    public Guid BatchId { get; set; }
    public Guid? DistributorId { get; set; }
    public Guid? PlanId { get; set; }
    public int? DurationDays { get; set; }
    public int? DurationHours { get; set; }
    public int? TrafficQuotaGb { get; set; }
    public long? ValueCents { get; set; }

    /// <summary>Copied from the batch so that validation reads one row.</summary>
    public required string BindingPolicy { get; set; }

    public string? Remark { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>An unused serial expires after this (requirements §3.3: 30 days by default).</summary>
    public DateTimeOffset ValidUntil { get; set; }

    public DateTimeOffset? FirstUsedAt { get; set; }

    /// <summary>For licences: when the licence stops working (set on first use).</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    public Guid? UserId { get; set; }

    public ClientEnvironment? Client { get; set; }

    public TimeSpan? LicenceDuration =>
        DurationHours is { } hours ? TimeSpan.FromHours(hours) : DurationDays is { } days ? TimeSpan.FromDays(days) : null;
}

/// <summary>The licence client environment (requirements §3.6): one per serial, the client a licence is bound to.</summary>
public sealed class ClientEnvironment
{
    public Guid SerialId { get; set; }
    public required string MachineCode { get; set; }
    public string? Hardware { get; set; }
    public string? Ip { get; set; }
    public string? Function { get; set; }
    public DateTimeOffset BoundAt { get; set; }
    public DateTimeOffset LastRequestAt { get; set; }
}

/// <summary>A refused validation because the client did not match the binding, kept whole for analysis.</summary>
public sealed class BindingMismatch
{
    public long Id { get; set; }
    public Guid SerialId { get; set; }
    public required string FullCode { get; set; }
    public required string Policy { get; set; }
    public required string RequestJson { get; set; }
    public string? BoundMachineCode { get; set; }
    public string? BoundHardware { get; set; }
    public string? BoundIp { get; set; }
    public string? Ip { get; set; }
    public string? UserAgent { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The use log (requirements §3.7): every action on a serial.</summary>
public sealed class SerialUseLog
{
    public long Id { get; set; }
    public Guid? SerialId { get; set; }
    public Guid? BatchId { get; set; }
    public Guid? UserId { get; set; }
    public required string Action { get; set; }
    public string? UseType { get; set; }
    public string? RelatedId { get; set; }
    public string? RelatedType { get; set; }
    public string? Ip { get; set; }
    public string? UserAgent { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public string? Remark { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
