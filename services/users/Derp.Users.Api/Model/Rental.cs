using Derp.Contracts.Users;

namespace Derp.Users.Api.Model;

/// <summary>One rental per renter; every period that made it longer is kept in <see cref="RentalPeriod"/>.</summary>
public sealed class Rental
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public required string Status { get; set; }
    public Guid? PlanId { get; set; }
    public int? TrafficQuotaGb { get; set; }
    public long TrafficUsedBytes { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? ExpiredAt { get; set; }
    public bool OverQuota { get; set; }

    /// <summary>When the renter's current set of relays was provisioned (the latest <c>ContainersProvisioned</c>).</summary>
    public DateTimeOffset? RelaysProvisionedAt { get; set; }

    /// <summary>The newest policy version and when acl generated it (the latest <c>AclGenerated</c>).</summary>
    public int? PolicyVersion { get; set; }

    public DateTimeOffset? PolicyGeneratedAt { get; set; }

    /// <summary>
    /// Derived from facts, never latched (ADR-007): ready only while the rental runs and the newest policy was made
    /// after the current relay set (acl makes it from that set), so moved relays read provisioning until their policy exists.
    /// </summary>
    public string ServiceState => Status != RentalStatuses.Active || OverQuota ? ServiceStates.Stopped
        : RelaysProvisionedAt is { } relays && PolicyGeneratedAt >= relays ? ServiceStates.Ready
        : ServiceStates.Provisioning;

    /// <summary>
    /// Requirements §2.2: a new period stacks on the current expiry while the rental is active, and starts now when
    /// it has expired. Returns when the period starts.
    /// </summary>
    public static DateTimeOffset PeriodStart(Rental? rental, DateTimeOffset now) =>
        rental is { Status: RentalStatuses.Active } && rental.ExpiresAt > now ? rental.ExpiresAt : now;

    /// <summary>
    /// How long a rental serial's period lasts: its days when it has them, otherwise its hours (trial serials).
    /// Zero or less means the serial carries no duration.
    /// </summary>
    public static TimeSpan PeriodLength(int? durationDays, int? durationHours) =>
        durationDays is { } days ? TimeSpan.FromDays(days) : TimeSpan.FromHours(durationHours ?? 0);
}

public sealed class RentalPeriod
{
    public Guid Id { get; set; }
    public Guid RentalId { get; set; }
    public Guid UserId { get; set; }

    /// <summary><c>serial</c>, <c>admin</c> or <c>order</c> (<see cref="RentalSources"/>).</summary>
    public required string Source { get; set; }

    /// <summary>The redeemed serial; unique, so a redelivered redemption cannot add a second period.</summary>
    public Guid? SerialId { get; set; }

    /// <summary>The paid plan order (finance); unique, so an order adds one period whatever message carries it.</summary>
    public Guid? OrderId { get; set; }

    public Guid? PlanId { get; set; }
    public int? TrafficQuotaGb { get; set; }
    public DateTimeOffset StartsAt { get; set; }
    public DateTimeOffset EndsAt { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Marks a reminder as sent for one expiry date, so each of 7/3/1 days goes out once per period.</summary>
public sealed class RentalReminder
{
    public Guid RentalId { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public int DaysBefore { get; set; }
    public DateTimeOffset SentAt { get; set; }
}

public sealed class Device
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public required string Name { get; set; }
    public required string MachineCode { get; set; }

    /// <summary>Tailscale's node public key, <c>nodekey:</c> and 64 lower-case hex digits.</summary>
    public required string NodeKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// A notification mail, written in the same transaction as the change it reports and sent by the dispatcher with
/// retries; the rows are also the email log (recipient, template, time, result).
/// </summary>
public sealed class OutgoingEmail
{
    public long Id { get; set; }
    public Guid? UserId { get; set; }
    public required string Recipient { get; set; }
    public required string Template { get; set; }
    public required string Subject { get; set; }
    public required string TextBody { get; set; }
    public required string HtmlBody { get; set; }
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
}
