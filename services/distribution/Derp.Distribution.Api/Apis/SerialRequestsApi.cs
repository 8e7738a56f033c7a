using Derp.Contracts.Distribution;
using Derp.Distribution.Api.Infrastructure;
using Derp.Distribution.Api.Model;
using Derp.Distribution.Api.Services;
using Derp.ServiceDefaults.Audit;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Problems;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Derp.Distribution.Api.Apis;

public sealed record CreateSerialRequest(Guid PlanId, int Quantity, string? Remark);

public sealed record RejectSerialRequest(string Reason);

public sealed record SerialRequestResponse(Guid Id, Guid DistributorId, Guid PlanId, string PlanNameZh, string PlanNameEn, int Quantity, string? Remark,
    string Status, long? UnitPriceCents, string? TierCode, int? RateBasisPoints, long? PriceCents, string? Currency, Guid? OrderId, DateTimeOffset? PayBy,
    Guid? BatchId, string? RejectionReason, DateTimeOffset CreatedAt, DateTimeOffset? ApprovedAt, DateTimeOffset? PaidAt, DateTimeOffset? IssuedAt,
    DateTimeOffset? ClosedAt)
{
    public static SerialRequestResponse From(SerialRequest r) => new(r.Id, r.DistributorId, r.PlanId, r.PlanNameZh, r.PlanNameEn, r.Quantity, r.Remark,
        r.Status, r.UnitPriceCents, r.TierCode, r.RateBasisPoints, r.PriceCents, r.Currency, r.OrderId, r.PayBy, r.BatchId, r.RejectionReason,
        r.CreatedAt, r.ApprovedAt, r.PaidAt, r.IssuedAt, r.ClosedAt);
}

public sealed class CreateSerialRequestValidator : AbstractValidator<CreateSerialRequest>
{
    public const int MaxQuantity = 10_000;
    public const int MaxRemarkLength = 500;

    public CreateSerialRequestValidator()
    {
        RuleFor(r => r.PlanId).NotEmpty();
        RuleFor(r => r.Quantity).InclusiveBetween(1, MaxQuantity);
        RuleFor(r => r.Remark).MaximumLength(MaxRemarkLength);
    }
}

public sealed class RejectSerialRequestValidator : AbstractValidator<RejectSerialRequest>
{
    public RejectSerialRequestValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
}

/// <summary>
/// Serial requests (requirements §9.2–§9.3): a distributor asks for serials of a plan, an admin fixes the price (the
/// distributor's tier rate off the plan's price) and finance opens the order; payment, issue and expiry come back as
/// events (<see cref="IntegrationEvents"/>) and the expiry job.
/// </summary>
public static class SerialRequestsApi
{
    private const int MaxPageSize = 100;

    public static IEndpointRouteBuilder MapSerialRequestsApi(this IEndpointRouteBuilder routes)
    {
        var mine = routes.MapGroup("api/distribution/requests").WithTags("Serial requests").RequireAuthorization(Policies.Distributor);
        mine.MapPost("", Create).Validate<CreateSerialRequest>();
        mine.MapGet("mine", ListMine);
        mine.MapGet("mine/{id:guid}", GetMine);
        mine.MapPost("mine/{id:guid}/cancel", CancelMine);

        var admin = routes.MapGroup("api/distribution/requests").WithTags("Serial requests").RequireAuthorization(Policies.Admin);
        admin.MapGet("", List);
        admin.MapPost("{id:guid}/approve", Approve);
        admin.MapPost("{id:guid}/reject", Reject).Validate<RejectSerialRequest>();
        return routes;
    }

    public static async Task<Results<Created<SerialRequestResponse>, ProblemHttpResult>> Create(CreateSerialRequest request, HttpContext http,
        DistributionContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var userId = http.User.UserId();
        if (!await db.Distributors.AnyAsync(d => d.UserId == userId && d.Status == DistributorStatuses.Active, cancellationToken))
            return NotActive();
        var plan = await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == request.PlanId, cancellationToken);
        if (plan is null)
            return PlanNotFound();
        if (plan.Retired)
            return PlanRetired();
        var row = new SerialRequest
        {
            Id = Guid.CreateVersion7(),
            DistributorId = userId,
            PlanId = plan.Id,
            PlanNameZh = plan.NameZh,
            PlanNameEn = plan.NameEn,
            Quantity = request.Quantity,
            Remark = string.IsNullOrWhiteSpace(request.Remark) ? null : request.Remark.Trim(),
            Status = SerialRequestStatuses.Requested,
            CreatedAt = clock.GetUtcNow(),
        };
        db.SerialRequests.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/distribution/requests/mine/{row.Id}", SerialRequestResponse.From(row));
    }

    public static async Task<Results<Ok<PagedResponse<SerialRequestResponse>>, ValidationProblem>> ListMine(HttpContext http, DistributionContext db,
        string? status = null, int page = 1, int pageSize = 20, CancellationToken cancellationToken = default) =>
        await ListAsync(db, status, http.User.UserId(), page, pageSize, cancellationToken);

    public static async Task<Results<Ok<PagedResponse<SerialRequestResponse>>, ValidationProblem>> List(DistributionContext db, string? status = null,
        Guid? distributorId = null, int page = 1, int pageSize = 20, CancellationToken cancellationToken = default) =>
        await ListAsync(db, status, distributorId, page, pageSize, cancellationToken);

    private static async Task<Results<Ok<PagedResponse<SerialRequestResponse>>, ValidationProblem>> ListAsync(DistributionContext db, string? status,
        Guid? distributorId, int page, int pageSize, CancellationToken cancellationToken)
    {
        if (Paging.Check(page, pageSize, MaxPageSize) is { } invalid)
            return invalid;
        if (status is not null && !SerialRequestStatuses.All.Contains(status))
            return ApiProblems.Validation("status", $"status must be one of: {string.Join(", ", SerialRequestStatuses.All)}.");
        var query = db.SerialRequests.AsNoTracking();
        if (distributorId is not null)
            query = query.Where(r => r.DistributorId == distributorId);
        if (status is not null)
            query = query.Where(r => r.Status == status);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PagedResponse<SerialRequestResponse>(rows.Select(SerialRequestResponse.From).ToList(), total, page, pageSize));
    }

    public static async Task<Results<Ok<SerialRequestResponse>, ProblemHttpResult>> GetMine(Guid id, HttpContext http, DistributionContext db,
        CancellationToken cancellationToken)
    {
        var userId = http.User.UserId();
        // Another distributor's request answers exactly like a missing one.
        var row = await db.SerialRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id && r.DistributorId == userId, cancellationToken);
        return row is null ? RequestNotFound() : TypedResults.Ok(SerialRequestResponse.From(row));
    }

    /// <summary>The distributor withdraws a request before paying it; an approved one's order is cancelled in finance.</summary>
    public static async Task<Results<Ok<SerialRequestResponse>, ProblemHttpResult>> CancelMine(Guid id, HttpContext http, DistributionContext db,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var userId = http.User.UserId();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var row = await LockAsync(db, id, cancellationToken);
        if (row is null || row.DistributorId != userId)
            return RequestNotFound();
        if (row.Status is not (SerialRequestStatuses.Requested or SerialRequestStatuses.Approved))
            return ApiProblems.Conflict(DistributionProblemCodes.RequestNotCancellable, "Only a request not yet paid can be cancelled.",
                $"The request is {row.Status}.");
        Close(db, row, SerialRequestStatuses.Cancelled, "Cancelled by the distributor", clock);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(SerialRequestResponse.From(row));
    }

    /// <summary>
    /// Fixes the price with the distributor's tier now and opens the order in finance (through the outbox, in the same
    /// transaction as the approval, so an approved request always has its order).
    /// </summary>
    public static async Task<Results<Ok<SerialRequestResponse>, ProblemHttpResult>> Approve(Guid id, HttpContext http, DistributionContext db,
        TimeProvider clock, IOptions<SerialRequestOptions> options, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var row = await LockAsync(db, id, cancellationToken);
        if (row is null)
            return RequestNotFound();
        if (row.Status != SerialRequestStatuses.Requested)
            return NotPending(row);
        var distributor = await db.Distributors.AsNoTracking().SingleOrDefaultAsync(d => d.UserId == row.DistributorId, cancellationToken);
        if (distributor is not { Status: DistributorStatuses.Active })
            return ApiProblems.Conflict(DistributionProblemCodes.DistributorNotActive, "The distributor is not active.",
                "A suspended distributor's requests can only be rejected.");
        var tier = await db.Tiers.AsNoTracking().SingleOrDefaultAsync(t => t.Code == distributor.TierCode, cancellationToken);
        if (tier is null)
            return ApiProblems.Conflict(DistributionProblemCodes.TierNotFound, "The distributor's tier does not exist.", $"Tier {distributor.TierCode}.");
        var plan = await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == row.PlanId, cancellationToken);
        if (plan is null)
            return PlanNotFound();
        if (plan.Retired)
            return PlanRetired();

        var now = clock.GetUtcNow();
        row.Status = SerialRequestStatuses.Approved;
        // The plan's price today, not when the request was made: the order is what the distributor pays.
        row.UnitPriceCents = plan.PriceCents;
        row.Currency = plan.Currency;
        row.TierCode = tier.Code;
        row.RateBasisPoints = tier.RateBasisPoints;
        row.PriceCents = Pricing.DiscountedTotalCents(plan.PriceCents, row.Quantity, tier.RateBasisPoints);
        row.OrderId = Guid.CreateVersion7();
        row.PayBy = now + options.Value.PaymentWindow;
        row.ApprovedAt = now;
        row.DecidedBy = http.User.UserId();
        db.AddIntegrationEvent(new SerialPurchaseApproved(row.Id, row.OrderId.Value, row.DistributorId, row.PlanId, row.Quantity, row.PriceCents.Value,
            row.Currency, row.TierCode, row.RateBasisPoints.Value, row.PayBy.Value, now), clock);
        db.AddAudit(http, clock, DistributionAuditActions.RequestApproved, "serial_request", row.Id,
            new { row.DistributorId, row.PlanId, row.Quantity, row.UnitPriceCents, row.TierCode, row.RateBasisPoints, row.PriceCents, row.OrderId });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(SerialRequestResponse.From(row));
    }

    public static async Task<Results<Ok<SerialRequestResponse>, ProblemHttpResult>> Reject(Guid id, RejectSerialRequest request, HttpContext http,
        DistributionContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var row = await LockAsync(db, id, cancellationToken);
        if (row is null)
            return RequestNotFound();
        if (row.Status != SerialRequestStatuses.Requested)
            return NotPending(row);
        row.Status = SerialRequestStatuses.Rejected;
        row.RejectionReason = request.Reason.Trim();
        row.DecidedBy = http.User.UserId();
        row.ClosedAt = clock.GetUtcNow();
        db.AddAudit(http, clock, DistributionAuditActions.RequestRejected, "serial_request", row.Id, new { request.Reason });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(SerialRequestResponse.From(row));
    }

    /// <summary>The request's row, locked until the transaction ends: approval, cancel, payment and expiry serialise here.</summary>
    public static Task<SerialRequest?> LockAsync(DistributionContext db, Guid id, CancellationToken cancellationToken) =>
        db.SerialRequests.FromSql($"SELECT * FROM serial_requests WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);

    /// <summary>Ends an unpaid request; an approved one has an order in finance, which is cancelled too (money already on it goes to the wallet).</summary>
    public static void Close(DistributionContext db, SerialRequest row, string status, string reason, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        if (row.Status == SerialRequestStatuses.Approved && row.OrderId is { } orderId)
            db.AddIntegrationEvent(new SerialPurchaseCancelled(row.Id, orderId, reason, now), clock);
        row.Status = status;
        row.ClosedAt = now;
    }

    private static ProblemHttpResult NotActive() =>
        ApiProblems.Problem(403, DistributionProblemCodes.DistributorNotActive, "Only an active distributor can request serials.");

    private static ProblemHttpResult PlanNotFound() => ApiProblems.Problem(422, DistributionProblemCodes.PlanNotFound, "No such plan.");

    private static ProblemHttpResult PlanRetired() => ApiProblems.Problem(422, DistributionProblemCodes.PlanRetired, "This plan is retired.");

    private static ProblemHttpResult RequestNotFound() => ApiProblems.NotFound(DistributionProblemCodes.RequestNotFound, "No such serial request.");

    private static ProblemHttpResult NotPending(SerialRequest row) =>
        ApiProblems.Conflict(DistributionProblemCodes.RequestNotPending, "Only a requested (undecided) request can be approved or rejected.",
            $"The request is {row.Status}.");
}
