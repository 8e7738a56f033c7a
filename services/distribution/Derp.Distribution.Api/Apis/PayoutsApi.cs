using Derp.Contracts.Distribution;
using Derp.Contracts.Finance;
using Derp.Distribution.Api.Infrastructure;
using Derp.Distribution.Api.Model;
using Derp.Distribution.Api.Services;
using Derp.ServiceDefaults.Audit;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Problems;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Derp.Distribution.Api.Apis;

/// <summary>
/// Payouts of available commission: the distributor's request locks the money at once (under the distributor's
/// commission lock, so concurrent requests never lock the same money twice); an admin marks it paid with a reference
/// or rejects it and the money returns. A payout is decided once: the status is checked under the same lock.
/// </summary>
public static class PayoutsApi
{
    public const int MaxReferenceLength = 200;
    public const int MaxReasonLength = 500;

    public static IEndpointRouteBuilder MapPayoutsApi(this IEndpointRouteBuilder routes)
    {
        var mine = routes.MapGroup("api/distribution/me/payouts").WithTags("Payouts").RequireAuthorization(Policies.Distributor);
        mine.MapGet("", ListMyPayouts);
        mine.MapPost("", RequestPayout).Validate<PayoutRequest>();

        var admin = routes.MapGroup("api/distribution/payouts").WithTags("Payouts (admin)").RequireAuthorization(Policies.Admin);
        admin.MapGet("", ListPayouts);
        admin.MapPost("{id:guid}/pay", Pay).Validate<PayPayoutRequest>();
        admin.MapPost("{id:guid}/reject", Reject).Validate<RejectPayoutRequest>();
        return routes;
    }

    public static async Task<Results<Ok<PagedResponse<PayoutResponse>>, ValidationProblem, ProblemHttpResult>> ListMyPayouts(HttpContext http,
        DistributionContext db, CancellationToken cancellationToken, string? status = null, int page = 1, int pageSize = 20)
    {
        var me = http.User.UserId();
        if (!await db.Distributors.AnyAsync(d => d.UserId == me, cancellationToken))
            return CommissionsApi.NotADistributor();
        return await PageAsync(db, me, status, page, pageSize, cancellationToken);
    }

    public static async Task<Results<Created<PayoutResponse>, ProblemHttpResult>> RequestPayout(PayoutRequest request, HttpContext http, DistributionContext db,
        CommissionAccount account, TimeProvider clock, CancellationToken cancellationToken)
    {
        var me = http.User.UserId();
        var distributor = await db.Distributors.AsNoTracking().SingleOrDefaultAsync(d => d.UserId == me, cancellationToken);
        if (distributor is null)
            return CommissionsApi.NotADistributor();
        var minimum = await db.Tiers.Where(t => t.Code == distributor.TierCode).Select(t => (long?)t.MinimumPayoutCents).SingleOrDefaultAsync(cancellationToken) ?? 0;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await account.LockAsync(me, cancellationToken);
        var available = CommissionMath.Available((await account.AvailableOldestFirstAsync(me, cancellationToken)).Select(c => c.AmountCents));
        var amount = request.AmountCents ?? available;
        if (amount <= 0 || amount > available)
            return CommissionsApi.InsufficientCommission();
        if (amount < minimum)
            return ApiProblems.Conflict(DistributionProblemCodes.PayoutBelowMinimum, "The payout is below your tier's minimum.",
                $"A payout must be at least {minimum} fen.");
        var payout = new Payout
        {
            Id = Guid.CreateVersion7(),
            DistributorId = me,
            AmountCents = amount,
            Currency = Currencies.Cny,
            Status = PayoutStatuses.Requested,
            PayoutChannel = distributor.PayoutChannel,
            PayoutAccountName = distributor.PayoutAccountName,
            PayoutAccount = distributor.PayoutAccount,
            RequestedAt = clock.GetUtcNow(),
        };
        // Cannot fail: the balance was read under the lock that is still held.
        if (!await account.DrawAsync(me, amount, CommissionStatuses.Locked, c => c.PayoutId = payout.Id, cancellationToken))
            return CommissionsApi.InsufficientCommission();
        db.Payouts.Add(payout);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/distribution/me/payouts/{payout.Id}", ToResponse(payout));
    }

    public static Task<Results<Ok<PagedResponse<PayoutResponse>>, ValidationProblem, ProblemHttpResult>> ListPayouts(DistributionContext db,
        CancellationToken cancellationToken, string? status = null, Guid? distributorId = null, int page = 1, int pageSize = 20) =>
        PageAsync(db, distributorId, status, page, pageSize, cancellationToken);

    public static Task<Results<Ok<PayoutResponse>, ProblemHttpResult>> Pay(Guid id, PayPayoutRequest request, HttpContext http, DistributionContext db,
        CommissionAccount account, TimeProvider clock, CancellationToken cancellationToken) =>
        DecideAsync(id, http, db, clock, account, async payout =>
        {
            payout.Status = PayoutStatuses.Paid;
            payout.Reference = request.Reference.Trim();
            await account.MarkPayoutPaidAsync(payout.Id, cancellationToken);
            db.AddAudit(http, clock, DistributionAuditActions.PayoutPaid, "payout", payout.Id,
                new { payout.DistributorId, payout.AmountCents, payout.Reference });
        }, cancellationToken);

    public static Task<Results<Ok<PayoutResponse>, ProblemHttpResult>> Reject(Guid id, RejectPayoutRequest request, HttpContext http, DistributionContext db,
        CommissionAccount account, TimeProvider clock, CancellationToken cancellationToken) =>
        DecideAsync(id, http, db, clock, account, async payout =>
        {
            payout.Status = PayoutStatuses.Rejected;
            payout.RejectionReason = request.Reason.Trim();
            await account.ReturnPayoutAsync(payout.Id, cancellationToken);
            db.AddAudit(http, clock, DistributionAuditActions.PayoutRejected, "payout", payout.Id,
                new { payout.DistributorId, payout.AmountCents, Reason = payout.RejectionReason });
        }, cancellationToken);

    private static async Task<Results<Ok<PayoutResponse>, ProblemHttpResult>> DecideAsync(Guid id, HttpContext http, DistributionContext db, TimeProvider clock,
        CommissionAccount account, Func<Payout, Task> decide, CancellationToken cancellationToken)
    {
        var distributorId = await db.Payouts.Where(p => p.Id == id).Select(p => (Guid?)p.DistributorId).SingleOrDefaultAsync(cancellationToken);
        if (distributorId is null)
            return ApiProblems.NotFound(DistributionProblemCodes.PayoutNotFound, "No such payout.");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await account.LockAsync(distributorId.Value, cancellationToken);
        // Read under the lock: a second admin (or a double click) finds it decided and changes nothing.
        var payout = await db.Payouts.SingleAsync(p => p.Id == id, cancellationToken);
        if (payout.Status != PayoutStatuses.Requested)
            return ApiProblems.Conflict(DistributionProblemCodes.PayoutAlreadyDecided, "The payout was already decided.", $"It is {payout.Status}.");
        payout.DecidedBy = http.User.UserId();
        payout.DecidedAt = clock.GetUtcNow();
        await decide(payout);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(payout));
    }

    private static async Task<Results<Ok<PagedResponse<PayoutResponse>>, ValidationProblem, ProblemHttpResult>> PageAsync(DistributionContext db,
        Guid? distributorId, string? status, int page, int pageSize, CancellationToken cancellationToken)
    {
        if (Paging.Check(page, pageSize, CommissionsApi.MaxPageSize) is { } invalid)
            return invalid;
        if (status is not null && !PayoutStatuses.All.Contains(status))
            return ApiProblems.Validation("status", $"Status must be one of {string.Join(", ", PayoutStatuses.All)}.");
        var query = db.Payouts.AsNoTracking();
        if (distributorId is not null)
            query = query.Where(p => p.DistributorId == distributorId);
        if (status is not null)
            query = query.Where(p => p.Status == status);
        var total = await query.CountAsync(cancellationToken);
        var payouts = await query.OrderByDescending(p => p.RequestedAt).ThenByDescending(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PagedResponse<PayoutResponse>(payouts.Select(ToResponse).ToList(), total, page, pageSize));
    }

    private static PayoutResponse ToResponse(Payout p) => new(p.Id, p.DistributorId, p.AmountCents, p.Currency, p.Status, p.PayoutChannel, p.PayoutAccountName,
        p.PayoutAccount, p.Reference, p.RejectionReason, p.RequestedAt, p.DecidedAt);
}

/// <summary>Null: all available commission.</summary>
public sealed record PayoutRequest(long? AmountCents);

public sealed class PayoutRequestValidator : AbstractValidator<PayoutRequest>
{
    public PayoutRequestValidator() =>
        RuleFor(r => r.AmountCents).GreaterThan(0).LessThanOrEqualTo(CommissionsApi.MaxAmountCents).When(r => r.AmountCents is not null);
}

public sealed record PayPayoutRequest(string Reference);

public sealed class PayPayoutRequestValidator : AbstractValidator<PayPayoutRequest>
{
    public PayPayoutRequestValidator() =>
        RuleFor(r => r.Reference).Must(s => !string.IsNullOrWhiteSpace(s)).WithMessage("A payment reference is required.")
            .MaximumLength(PayoutsApi.MaxReferenceLength);
}

public sealed record RejectPayoutRequest(string Reason);

public sealed class RejectPayoutRequestValidator : AbstractValidator<RejectPayoutRequest>
{
    public RejectPayoutRequestValidator() =>
        RuleFor(r => r.Reason).Must(s => !string.IsNullOrWhiteSpace(s)).WithMessage("A reason is required.").MaximumLength(PayoutsApi.MaxReasonLength);
}

public sealed record PayoutResponse(Guid Id, Guid DistributorId, long AmountCents, string Currency, string Status, string PayoutChannel, string PayoutAccountName,
    string PayoutAccount, string? Reference, string? RejectionReason, DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt);
