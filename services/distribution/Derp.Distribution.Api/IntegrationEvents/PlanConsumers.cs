using Derp.Contracts.Finance;
using Derp.Distribution.Api.Infrastructure;
using Derp.Distribution.Api.Model;
using Derp.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Derp.Distribution.Api.IntegrationEvents;

/// <summary>finance's plans as serial requests price them: each event runs once (inbox) and the highest version wins whatever order events arrive in.</summary>
public sealed class PlanChangedConsumer(DistributionContext db) : IConsumer<PlanChanged>
{
    public Task Consume(ConsumeContext<PlanChanged> context) =>
        db.ConsumeOnceAsync(context, nameof(PlanChangedConsumer), async cancellationToken =>
        {
            var changed = context.Message;
            var known = await db.Plans.FromSql($"SELECT * FROM plans WHERE plan_id = {changed.PlanId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
            if (known is null)
            {
                known = new PlanProjection { PlanId = changed.PlanId, NameZh = changed.NameZh, NameEn = changed.NameEn, Currency = changed.Currency };
                db.Plans.Add(known);
            }
            else if (changed.Version <= known.Version)
                return; // a late, older event changes nothing

            known.Version = changed.Version;
            known.NameZh = changed.NameZh;
            known.NameEn = changed.NameEn;
            known.DurationDays = changed.DurationDays;
            known.PriceCents = changed.PriceCents;
            known.Currency = changed.Currency;
            known.TrafficQuotaGb = changed.TrafficQuotaGb;
            known.Retired = changed.Retired;
        });
}
