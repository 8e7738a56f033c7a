using Derp.Contracts.Finance;
using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.Model;
using Derp.Finance.Api.Services;
using Derp.ServiceDefaults.Audit;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Derp.Finance.Api.Apis;

/// <summary>Money an admin saw arrive on the operator's accounts; what names no open order waits in the unmatched inbox.</summary>
public static class ReceiptsApi
{
    private const int MaxPageSize = 200;

    public static IEndpointRouteBuilder MapReceiptsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("api/finance/receipts").WithTags("Receipts").RequireAuthorization(Policies.Admin);
        api.MapPost("", Record).Validate<RecordReceiptRequest>();
        api.MapGet("", List);
        api.MapPost("{id:guid}/match", Match).Validate<MatchReceiptRequest>();
        api.MapPost("{id:guid}/credit", Credit).Validate<CreditReceiptRequest>();
        return routes;
    }

    /// <summary>A memo that names a pending order applies the money to it; anything else is kept unmatched. Idempotent on (channel, reference).</summary>
    public static async Task<Results<Ok<PaymentResult>, ProblemHttpResult>> Record(RecordReceiptRequest request, HttpContext http, FinanceContext db,
        OrderPayments payments, TimeProvider clock, CancellationToken cancellationToken)
    {
        var memo = string.IsNullOrWhiteSpace(request.Memo) ? null : OrderCodes.NormalizeMemo(request.Memo);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var orderId = memo is null ? null
            : await db.Orders.Where(o => o.Memo == memo && o.Status == OrderStatuses.PendingPayment).Select(o => (Guid?)o.Id).SingleOrDefaultAsync(cancellationToken);
        var incoming = new IncomingPayment(request.Channel, request.Reference, request.AmountCents, Currencies.Cny, request.ReceivedAt)
        {
            Memo = memo,
            PayerName = request.PayerName,
            Remark = request.Remark,
            RecordedBy = http.User.UserId(),
        };
        var outcome = orderId is { } id
            ? (await payments.ApplyToOrderAsync(id, incoming, cancellationToken))!
            : await payments.RecordUnmatchedAsync(incoming, cancellationToken);
        if (outcome.IsConflictingDuplicate(null, request.AmountCents))
            return OrdersAdminApi.ReferenceConflict(outcome.Payment);
        if (!outcome.Duplicate)
        {
            db.AddAudit(http, clock, FinanceAuditActions.ReceiptRecorded, "receipt", outcome.Payment.Id, new
            {
                request.Channel, request.AmountCents, request.Reference, request.ReceivedAt, memo, orderId, outcome.Payment.Status,
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return TypedResults.Ok(Result(outcome.Payment, outcome.Order, outcome.Duplicate));
    }

    public static async Task<Results<Ok<PagedResponse<PaymentResponse>>, ValidationProblem>> List(FinanceContext db, string? status = null,
        int page = 1, int pageSize = 50, CancellationToken cancellationToken = default)
    {
        if (Paging.Check(page, pageSize, MaxPageSize) is { } invalid)
            return invalid;
        if (status is not null && !ReceiptStatuses.All.Contains(status))
            return ApiProblems.Validation("status", $"status must be one of: {string.Join(", ", ReceiptStatuses.All)}.");
        // Receipts are what admins recorded; wallet payments and provider notifications are not theirs to match.
        var query = db.Payments.AsNoTracking().Where(p => PaymentChannels.Manual.Contains(p.Channel));
        if (status is not null)
            query = query.Where(p => p.Status == status);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(p => p.CreatedAt).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return TypedResults.Ok(new PagedResponse<PaymentResponse>(items.Select(PaymentResponse.From).ToList(), total, page, pageSize));
    }

    public static async Task<Results<Ok<PaymentResult>, ProblemHttpResult>> Match(Guid id, MatchReceiptRequest request, HttpContext http,
        FinanceContext db, OrderPayments payments, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var outcome = await payments.MatchAsync(id, request.OrderId, cancellationToken);
        if (Problem(outcome) is { } problem)
            return problem;
        db.AddAudit(http, clock, FinanceAuditActions.ReceiptMatched, "receipt", id, new
        {
            request.OrderId, outcome.Payment!.AmountCents, outcome.Payment.AppliedCents, orderStatus = outcome.Order!.Status,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(Result(outcome.Payment, outcome.Order, duplicate: false));
    }

    public static async Task<Results<Ok<PaymentResult>, ProblemHttpResult>> Credit(Guid id, CreditReceiptRequest request, HttpContext http,
        FinanceContext db, OrderPayments payments, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var outcome = await payments.CreditAsync(id, request.UserId, http.User.UserId(), request.Remark, cancellationToken);
        if (Problem(outcome) is { } problem)
            return problem;
        db.AddAudit(http, clock, FinanceAuditActions.ReceiptCredited, "receipt", id, new { request.UserId, outcome.Payment!.AmountCents, request.Remark });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(Result(outcome.Payment, null, duplicate: false));
    }

    private static ProblemHttpResult? Problem(ReceiptChangeOutcome outcome) => outcome.Status switch
    {
        ReceiptChangeStatus.ReceiptNotFound => ApiProblems.NotFound(FinanceProblemCodes.ReceiptNotFound, "No such receipt."),
        ReceiptChangeStatus.NotUnmatched => ApiProblems.Conflict(FinanceProblemCodes.ReceiptNotUnmatched, "This receipt is already matched or credited.",
            $"The receipt is {outcome.Payment!.Status}."),
        ReceiptChangeStatus.OrderNotFound => OrdersApi.OrderNotFound(),
        _ => null,
    };

    private static PaymentResult Result(Payment payment, Order? order, bool duplicate) =>
        new(PaymentResponse.From(payment), order is null ? null : OrderResponse.From(order), duplicate);
}
