namespace Derp.Distribution.Api.Model;

/// <summary>An admin's (or a rule's) action on distributors, requests or payouts, kept for good (requirements §7.3).</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    /// <summary>Null when a rule acted (tier promotion).</summary>
    public Guid? ActorId { get; set; }

    public string? ActorIp { get; set; }

    /// <summary><see cref="Derp.Contracts.Distribution.DistributionAuditActions"/>.</summary>
    public required string Action { get; set; }

    public required string TargetType { get; set; }
    public required string TargetId { get; set; }
    public string? DetailsJson { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
