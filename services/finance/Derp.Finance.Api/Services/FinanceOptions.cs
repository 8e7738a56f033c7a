namespace Derp.Finance.Api.Services;

public sealed class FinanceOptions
{
    public const string Section = "Finance";

    /// <summary>Plans made on first start when there are none (requirements §5: 3, 5, 30, 180, 360 days).</summary>
    public bool SeedPlans { get; set; } = true;

    /// <summary>A renter may have at most this many unpaid orders at once.</summary>
    public int MaxOpenOrdersPerRenter { get; set; } = 5;
}
