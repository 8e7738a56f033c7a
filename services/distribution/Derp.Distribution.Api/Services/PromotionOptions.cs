namespace Derp.Distribution.Api.Services;

/// <summary>Tier promotion settings (section <c>Distribution</c>).</summary>
public sealed class PromotionOptions
{
    public const string Section = "Distribution";

    /// <summary>The rolling window a distributor's turnover is summed over for promotion rules.</summary>
    public int PromotionWindowDays { get; set; } = 90;

    /// <summary>Seed the default tiers on first start (when there are none).</summary>
    public bool SeedTiers { get; set; } = true;
}
