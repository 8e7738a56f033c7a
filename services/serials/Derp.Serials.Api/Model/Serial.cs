namespace Derp.Serials.Api.Model;

public static class SerialKinds
{
    public const string Rental = "rental";
    public const string Licence = "licence";
    public const string Balance = "balance";
    public const string Donation = "donation";
    public const string Invite = "invite";

    public static readonly IReadOnlyList<string> All = [Rental, Licence, Balance, Donation, Invite];

    /// <summary>Kinds a renter redeems on the portal; licences are validated by client software, invites at registration.</summary>
    public static readonly IReadOnlyList<string> Redeemable = [Rental, Balance, Donation];

    /// <summary>The use type (requirements §3.7) for each redeemable kind.</summary>
    public static string UseTypeOf(string kind) => kind switch
    {
        Rental => UseTypes.Membership,
        Donation => UseTypes.Donation,
        Balance => UseTypes.Points,
        Invite => UseTypes.Register,
        _ => UseTypes.Other,
    };
}

public static class SerialStatuses
{
    public const string Unused = "unused";
    public const string Active = "active";
    public const string Used = "used";
    public const string Expired = "expired";
    public const string Disabled = "disabled";

    public static readonly IReadOnlyList<string> All = [Unused, Active, Used, Expired, Disabled];
}

public static class BindingPolicies
{
    /// <summary>Requirements §3.6: the machine code must match the bound one.</summary>
    public const string Strict = "strict";

    /// <summary>Requirements §3.6: refuse only when both the hardware and the IP differ from the bound client.</summary>
    public const string Lenient = "lenient";

    public static readonly IReadOnlyList<string> All = [Strict, Lenient];
}

public static class UseTypes
{
    public const string Membership = "membership";
    public const string Donation = "donation";
    public const string Register = "register";
    public const string Product = "product";
    public const string Points = "points";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All = [Membership, Donation, Register, Product, Points, Other];
}

public static class SerialActions
{
    public const string Generate = "generate";
    public const string Redeem = "redeem";
    public const string Validate = "validate";
    public const string Disable = "disable";
    public const string Enable = "enable";
    public const string Edit = "edit";
    public const string Delete = "delete";
    public const string Unbind = "unbind";
    public const string Expire = "expire";

    public static readonly IReadOnlyList<string> All = [Generate, Redeem, Validate, Disable, Enable, Edit, Delete, Unbind, Expire];
}

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
