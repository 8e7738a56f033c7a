using Derp.Contracts.Finance;
using Derp.Serials.Api.Infrastructure;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Projections;
using MassTransit;

namespace Derp.Serials.Api.IntegrationEvents;

/// <summary>The plan projection: each event runs once (inbox) and the highest version wins whatever order events arrive in.</summary>
public sealed class PlanChangedConsumer(SerialsContext db) : IConsumer<PlanChanged>
{
    public Task Consume(ConsumeContext<PlanChanged> context) =>
        db.ConsumeOnceAsync(context, nameof(PlanChangedConsumer), cancellationToken => PlanViews.ApplyAsync(db, context.Message, cancellationToken));
}
