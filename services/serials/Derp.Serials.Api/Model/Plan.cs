namespace Derp.Serials.Api.Model;

/// <summary>
/// What serials knows of finance's plans, from <c>PlanChanged</c>: a batch made from a plan takes its duration, quota
/// and price from here, so making a batch never waits for finance.
/// </summary>
public sealed class Plan
{
    public Guid Id { get; set; }

    /// <summary>The highest version seen: an older event delivered late changes nothing.</summary>
    public long Version { get; set; }

    public required string NameZh { get; set; }
    public required string NameEn { get; set; }
    public int DurationDays { get; set; }
    public long PriceCents { get; set; }
    public required string Currency { get; set; }

    /// <summary>0 means unlimited (finance's convention).</summary>
    public int TrafficQuotaGb { get; set; }

    public bool Sell { get; set; }
    public bool Renew { get; set; }
    public bool Retired { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
}
