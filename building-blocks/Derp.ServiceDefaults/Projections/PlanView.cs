using Derp.Contracts.Finance;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derp.ServiceDefaults.Projections;

/// <summary>
/// What a service knows of finance's plans, kept from <see cref="PlanChanged"/> so its own work (a batch made from a
/// plan, the price of a serial request) never waits for finance. Serials and distribution keep one each.
/// </summary>
public sealed class PlanView
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

public sealed class PlanViewEntityTypeConfiguration : IEntityTypeConfiguration<PlanView>
{
    public void Configure(EntityTypeBuilder<PlanView> builder)
    {
        builder.ToTable("Plans");
        builder.Property(p => p.Id).ValueGeneratedNever();
        // No length limits on what finance owns: the projection must never refuse a plan finance accepted.
    }
}

public static class PlanViews
{
    /// <summary>
    /// Applies a plan change under the plan's row lock: a new plan is added, a newer version replaces what is known,
    /// an older or repeated one changes nothing, whatever order the events arrive in. The caller saves (inside its
    /// inbox transaction).
    /// </summary>
    public static async Task ApplyAsync(DbContext db, PlanChanged changed, CancellationToken cancellationToken)
    {
        var plans = db.Set<PlanView>();
        var known = await plans.FromSql($"SELECT * FROM plans WHERE id = {changed.PlanId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (known is null)
        {
            known = new PlanView { Id = changed.PlanId, NameZh = changed.NameZh, NameEn = changed.NameEn, Currency = changed.Currency };
            plans.Add(known);
        }
        else if (changed.Version <= known.Version)
            return;

        known.Version = changed.Version;
        known.NameZh = changed.NameZh;
        known.NameEn = changed.NameEn;
        known.DurationDays = changed.DurationDays;
        known.PriceCents = changed.PriceCents;
        known.Currency = changed.Currency;
        known.TrafficQuotaGb = changed.TrafficQuotaGb;
        known.Sell = changed.Sell;
        known.Renew = changed.Renew;
        known.Retired = changed.Retired;
        known.ChangedAt = changed.ChangedAt;
    }
}
