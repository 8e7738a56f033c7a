namespace Derp.Distribution.Api.Model;

/// <summary>
/// A delivery item ("card", seed 003) of one owner (a distributor, or an admin as themselves): what a shop order
/// receives. <see cref="Derp.Contracts.Distribution.CardTypes"/> decides where the content comes from.
/// </summary>
public sealed class StorefrontCard
{
    public Guid Id { get; set; }
    public Guid OwnerId { get; set; }
    public required string Name { get; set; }
    public required string Type { get; set; }
    public bool Enabled { get; set; } = true;
    public int DelaySeconds { get; set; }

    /// <summary>Multi-spec: cards with the same name and different specs are the variants of one item.</summary>
    public string? SpecName { get; set; }
    public string? SpecValue { get; set; }

    /// <summary>serial: the plan whose stock is delivered.</summary>
    public Guid? PlanId { get; set; }

    /// <summary>text: the content; serial/data: an optional wrapper around {DELIVERY_CONTENT}.</summary>
    public string? Template { get; set; }
    public string? ImageUrl { get; set; }

    public string? ApiUrl { get; set; }
    public string? ApiMethod { get; set; }
    public string? ApiHeadersJson { get; set; }
    public string? ApiBody { get; set; }
    public int ApiTimeoutSeconds { get; set; }
    public int ApiRetries { get; set; }
    public string? ApiResponseField { get; set; }

    /// <summary>An alert opens when serial or pool stock falls below this (0 = never).</summary>
    public int LowStockThreshold { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One one-time line of a data card's pool; delivered at most once (<see cref="DeliveryId"/>).</summary>
public sealed class StorefrontPoolLine
{
    public long Id { get; set; }
    public Guid CardId { get; set; }
    public Guid OwnerId { get; set; }
    public required string Content { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? DeliveryId { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}

/// <summary>A keyword delivery rule: an item title containing <see cref="Keyword"/> maps to the card (highest priority first).</summary>
public sealed class StorefrontRule
{
    public Guid Id { get; set; }
    public Guid OwnerId { get; set; }
    public required string Keyword { get; set; }
    public Guid CardId { get; set; }
    public int Priority { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A shop bot's API key: shown once, kept as a SHA-256 hash, found by its public prefix (ADR-023).</summary>
public sealed class StorefrontApiKey
{
    public Guid Id { get; set; }
    public Guid OwnerId { get; set; }
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    public required string Hash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>
/// One shop order's delivery, unique per (owner, channel, external order id) so a retried order is delivered once.
/// A delayed delivery is a row that waits for <see cref="ReadyAt"/>: it survives restarts (ADR-023).
/// <see cref="Derp.Contracts.Distribution.DeliveryStatuses"/>.
/// </summary>
public sealed class StorefrontDelivery
{
    public Guid Id { get; set; }
    public Guid OwnerId { get; set; }
    public Guid? ApiKeyId { get; set; }
    public required string Channel { get; set; }
    public required string ExternalOrderId { get; set; }
    public string? ItemTitle { get; set; }
    public Guid? ItemId { get; set; }
    public string? Spec { get; set; }
    public int Quantity { get; set; }
    public string? BuyerId { get; set; }
    public Guid? CardId { get; set; }
    public string? CardName { get; set; }
    public required string Status { get; set; }
    public string? FailureReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ReadyAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public List<StorefrontDeliveryItem> Items { get; set; } = [];
}

public sealed class StorefrontDeliveryItem
{
    public long Id { get; set; }
    public Guid DeliveryId { get; set; }
    public int Position { get; set; }
    public required string Content { get; set; }
}

/// <summary>A card's stock fell below its threshold; at most one open alert per card, resolved when stock is back.</summary>
public sealed class StorefrontLowStockAlert
{
    public Guid Id { get; set; }
    public Guid OwnerId { get; set; }
    public Guid CardId { get; set; }
    public int Remaining { get; set; }
    public int Threshold { get; set; }
    public DateTimeOffset RaisedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
}
