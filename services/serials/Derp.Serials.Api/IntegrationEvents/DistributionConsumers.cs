using Derp.Contracts.Distribution;
using Derp.Contracts.Serials;
using Derp.Serials.Api.Apis;
using Derp.Serials.Api.Infrastructure;
using Derp.Serials.Api.Model;
using Derp.Serials.Api.Services;
using Derp.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Derp.Serials.Api.IntegrationEvents;

/// <summary>
/// A distributor paid a serial request: one rental batch of the plan for them, once per request however often and
/// under whichever message id this arrives (the request id is unique on batches), and
/// <see cref="DistributorSerialsIssued"/> with the codes leaves in the same transaction. A plan serials does not know,
/// or a retired one, makes no batch: the error is logged and the request stays paid for an admin to settle.
/// </summary>
public sealed class SerialBatchRequestedConsumer(SerialsContext db, SerialGenerator generator, TimeProvider clock, IOptions<SerialsOptions> options,
    ILogger<SerialBatchRequestedConsumer> logger) : IConsumer<SerialBatchRequested>
{
    public Task Consume(ConsumeContext<SerialBatchRequested> context) =>
        db.ConsumeOnceAsync(context, nameof(SerialBatchRequestedConsumer), async cancellationToken =>
        {
            var requested = context.Message;
            if (await db.Batches.AnyAsync(b => b.RequestId == requested.RequestId, cancellationToken))
                return;
            var plan = await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == requested.PlanId, cancellationToken);
            if (plan is null || plan.Retired)
            {
                logger.LogError("Serial request {RequestId} of distributor {DistributorId} names plan {PlanId}, which is {State}; no batch issued",
                    requested.RequestId, requested.DistributorId, requested.PlanId, plan is null ? "unknown" : "retired");
                return;
            }
            if (requested.Quantity < 1)
            {
                logger.LogError("Serial request {RequestId} asks for {Quantity} serials; no batch issued", requested.RequestId, requested.Quantity);
                return;
            }

            var now = clock.GetUtcNow();
            var batch = new SerialBatch
            {
                Id = Guid.CreateVersion7(),
                Prefix = options.Value.DistributorBatchPrefix.ToUpperInvariant(),
                Kind = SerialKinds.Rental,
                Count = requested.Quantity,
                CodeLength = SerialCodes.DefaultLength,
                PlanId = plan.Id,
                DurationDays = plan.DurationDays,
                // Finance's 0 GB is unlimited, which a serial says with no quota.
                TrafficQuotaGb = plan.TrafficQuotaGb > 0 ? plan.TrafficQuotaGb : null,
                ValueCents = plan.PriceCents,
                ValidDays = options.Value.DistributorBatchValidDays,
                BindingPolicy = BindingPolicies.Strict,
                DistributorId = requested.DistributorId,
                RequestId = requested.RequestId,
                Remark = $"serial request {requested.RequestId}",
                CreatedBy = requested.DistributorId,
                CreatedAt = now,
            };
            db.Batches.Add(batch);
            db.UseLogs.Add(new SerialUseLog
            {
                BatchId = batch.Id,
                UserId = requested.DistributorId,
                Action = SerialActions.Generate,
                RelatedId = batch.Id.ToString(),
                RelatedType = SerialsAdminApi.BatchRelatedType,
                Remark = $"{batch.Count} x {batch.Prefix} ({batch.Kind}) for serial request {requested.RequestId}",
                CreatedAt = now,
            });
            await db.SaveChangesAsync(cancellationToken);
            await generator.InsertAsync(db, batch, now, cancellationToken);
            var serials = await db.Serials.AsNoTracking().Where(s => s.BatchId == batch.Id).OrderBy(s => s.FullCode)
                .Select(s => new IssuedSerial(s.Id, s.FullCode, s.ValidUntil)).ToListAsync(cancellationToken);
            db.AddIntegrationEvent(new DistributorSerialsIssued(requested.RequestId, batch.Id, requested.DistributorId, plan.Id, serials, now), clock);
            logger.LogInformation("Issued batch {BatchId} of {Count} serials for serial request {RequestId}", batch.Id, serials.Count, requested.RequestId);
        });
}
