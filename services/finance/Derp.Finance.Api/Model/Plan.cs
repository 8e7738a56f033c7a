namespace Derp.Finance.Api.Model;

/// <summary>What a renter can buy (requirements §5): a number of days with a traffic quota at a price.</summary>
public sealed class Plan
{
    public Guid Id { get; set; }

    /// <summary>Grows with every change; carried on <c>PlanChanged</c> so projections keep the newest.</summary>
    public long Version { get; set; }

    public required string NameZh { get; set; }
    public required string NameEn { get; set; }
    public int DurationDays { get; set; }
    public long PriceCents { get; set; }
    public required string Currency { get; set; }

    /// <summary>0 means unlimited.</summary>
    public int TrafficQuotaGb { get; set; }

    /// <summary>Offered to renters without a rental.</summary>
    public bool Sell { get; set; }

    /// <summary>Offered to renters renewing a rental.</summary>
    public bool Renew { get; set; }

    public int SortOrder { get; set; }

    /// <summary>At most this many renters with an active rental on the plan; null means no limit.</summary>
    public int? CapacityLimit { get; set; }

    /// <summary>Off sale for good; kept because orders and serials point at it.</summary>
    public bool Retired { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
