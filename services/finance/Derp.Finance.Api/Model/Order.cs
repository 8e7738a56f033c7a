namespace Derp.Finance.Api.Model;

/// <summary>
/// A renter's purchase of a plan. Price, plan terms and payment instructions are snapshotted when the order is made,
/// so a later price change never touches it. Status moves pending_payment -> paid -> fulfilled (the rental event came
/// back), or to cancelled / expired / refunded; see <see cref="Derp.Contracts.Finance.OrderStatuses"/>.
/// </summary>
public sealed class Order
{
    public Guid Id { get; set; }

    /// <summary>Human-facing, unique: what a provider sees as <c>out_trade_no</c>.</summary>
    public required string Number { get; set; }

    public Guid UserId { get; set; }
    public Guid PlanId { get; set; }
    public required string PlanNameZh { get; set; }
    public required string PlanNameEn { get; set; }
    public int DurationDays { get; set; }
    public int TrafficQuotaGb { get; set; }
    public required string Type { get; set; }
    public required string Status { get; set; }
    public long PriceCents { get; set; }

    /// <summary>Money applied to this order so far (never above the price: anything beyond goes to the wallet).</summary>
    public long PaidCents { get; set; }

    public required string Currency { get; set; }

    /// <summary>Short code the renter writes on a manual transfer; unique among pending orders.</summary>
    public required string Memo { get; set; }

    /// <summary>The receiving accounts as shown when the order was made (JSON).</summary>
    public required string InstructionsJson { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? PaidAt { get; set; }
    public DateTimeOffset? FulfilledAt { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    public DateTimeOffset? RefundedAt { get; set; }
    public long RefundedCents { get; set; }

    /// <summary>Labels an admin put on the order (<see cref="Derp.Contracts.Finance.OrderMarks"/>).</summary>
    public List<string> Marks { get; set; } = [];

    public string? Remark { get; set; }
    public string? ClientIp { get; set; }

    public long AmountDueCents => Math.Max(0, PriceCents - PaidCents);
}
