using Derp.Contracts.Finance;
using Derp.Serials.Api.Infrastructure;
using Derp.Serials.Api.Model;
using Derp.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Derp.Serials.Api.IntegrationEvents;

/// <summary>The plan projection: each event runs once (inbox) and the highest version wins whatever order events arrive in.</summary>
public sealed class PlanChangedConsumer(SerialsContext db) : IConsumer<PlanChanged>
{
    public Task Consume(ConsumeContext<PlanChanged> context) =>
        db.ConsumeOnceAsync(context, nameof(PlanChangedConsumer), cancellationToken => Plans.ApplyAsync(db, context.Message, cancellationToken));
}

public static class Plans
{
    public static async Task ApplyAsync(SerialsContext db, PlanChanged changed, CancellationToken cancellationToken)
    {
        var known = await db.Plans.FromSql($"SELECT * FROM plans WHERE id = {changed.PlanId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (known is null)
        {
            known = new Plan { Id = changed.PlanId, NameZh = changed.NameZh, NameEn = changed.NameEn, Currency = changed.Currency };
            db.Plans.Add(known);
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
