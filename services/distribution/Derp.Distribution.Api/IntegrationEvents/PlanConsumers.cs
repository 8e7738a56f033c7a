using Derp.Contracts.Finance;
using Derp.Distribution.Api.Infrastructure;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Projections;
using MassTransit;

namespace Derp.Distribution.Api.IntegrationEvents;

/// <summary>finance's plans as serial requests price them: each event runs once (inbox) and the highest version wins whatever order events arrive in.</summary>
public sealed class PlanChangedConsumer(DistributionContext db) : IConsumer<PlanChanged>
{
    public Task Consume(ConsumeContext<PlanChanged> context) =>
        db.ConsumeOnceAsync(context, nameof(PlanChangedConsumer), cancellationToken => PlanViews.ApplyAsync(db, context.Message, cancellationToken));
}
