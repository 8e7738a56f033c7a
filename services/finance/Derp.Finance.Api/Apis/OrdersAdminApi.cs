using Derp.Contracts.Finance;
using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.Model;
using Derp.Finance.Api.Services;
using Derp.ServiceDefaults.Audit;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Derp.Finance.Api.Apis;

public static class OrdersAdminApi
{
    private const int MaxPageSize = 200;

    public static IEndpointRouteBuilder MapOrdersAdminApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("api/finance").WithTags("Orders (admin)").RequireAuthorization(Policies.Admin);
        api.MapGet("orders", List);
        api.MapGet("orders/{id:guid}", Get);
        api.MapPost("orders/{id:guid}/payments", ConfirmPayment).Validate<ConfirmPaymentRequest>();
        api.MapPost("orders/{id:guid}/cancel", Cancel).Validate<ReasonRequest>();
        api.MapPost("orders/{id:guid}/marks", Mark).Validate<MarkRequest>();
        api.MapPost("orders/{id:guid}/reopen", Reopen).Validate<ReasonRequest>();
        api.MapPost("orders/{id:guid}/refund", Refund).Validate<RefundRequest>();
        api.MapGet("audit", ListAudit);
        return routes;
    }

    public static async Task<Results<Ok<PagedResponse<OrderResponse>>, ValidationProblem>> List(FinanceContext db, string? status = null,
        string? type = null, Guid? userId = null, Guid? planId = null, string? memo = null, DateTimeOffset? from = null, DateTimeOffset? to = null,
        int page = 1, int pageSize = 20, CancellationToken cancellationToken = default)
    {
        if ((Paging.Check(page, pageSize, MaxPageSize) ?? OrdersApi.CheckStatus(status)) is { } invalid)
            return invalid;
        if (type is not null && !OrderTypes.All.Contains(type))
            return ApiProblems.Validation("type", $"type must be one of: {string.Join(", ", OrderTypes.All)}.");
        if (from > to)
            return ApiProblems.Validation("from", "from must not be after to.");

        var query = db.Orders.AsNoTracking();
        if (status is not null)
            query = query.Where(o => o.Status == status);
        if (type is not null)
            query = query.Where(o => o.Type == type);
        if (userId is not null)
            query = query.Where(o => o.UserId == userId);
        if (planId is not null)
            query = query.Where(o => o.PlanId == planId);
        if (!string.IsNullOrWhiteSpace(memo))
        {
            var normalized = OrderCodes.NormalizeMemo(memo);
            query = query.Where(o => o.Memo == normalized);
        }
        if (from is not null)
            query = query.Where(o => o.CreatedAt >= from);
        if (to is not null)
            query = query.Where(o => o.CreatedAt < to);

        var total = await query.CountAsync(cancellationToken);
        var orders = await query.OrderByDescending(o => o.CreatedAt).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        var emails = await EmailsAsync(db, orders.Select(o => o.UserId), cancellationToken);
        return TypedResults.Ok(new PagedResponse<OrderResponse>(orders.Select(o => OrderResponse.From(o, emails.GetValueOrDefault(o.UserId))).ToList(),
            total, page, pageSize));
    }

    public static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> Get(Guid id, FinanceContext db, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, cancellationToken);
        return order is null ? OrdersApi.OrderNotFound() : TypedResults.Ok(await AdminDetailAsync(db, order, cancellationToken));
    }

    /// <summary>An admin saw a transfer for this order arrive. The same confirmation again changes nothing and answers the same.</summary>
    public static async Task<Results<Ok<PaymentResult>, ProblemHttpResult>> ConfirmPayment(Guid id, ConfirmPaymentRequest request, HttpContext http,
        FinanceContext db, OrderPayments payments, TimeProvider clock, CancellationToken cancellationToken)
    {
        var currency = await db.Orders.Where(o => o.Id == id).Select(o => o.Currency).SingleOrDefaultAsync(cancellationToken);
        if (currency is null)
            return OrdersApi.OrderNotFound();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var incoming = new IncomingPayment(request.Channel, request.Reference, request.AmountCents, currency, request.ReceivedAt)
        {
            Remark = request.Remark,
            RecordedBy = http.User.UserId(),
        };
        var outcome = (await payments.ApplyToOrderAsync(id, incoming, cancellationToken))!;
        if (outcome.IsConflictingDuplicate(id, request.AmountCents))
            return ReferenceConflict(outcome.Payment);
        if (!outcome.Duplicate)
        {
            db.AddAudit(http, clock, FinanceAuditActions.PaymentConfirmed, "order", id, new
            {
                paymentId = outcome.Payment.Id, request.Channel, request.AmountCents, request.Reference, request.ReceivedAt,
                outcome.Payment.AppliedCents, status = outcome.Order?.Status,
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return TypedResults.Ok(new PaymentResult(PaymentResponse.From(outcome.Payment), outcome.Order is null ? null : OrderResponse.From(outcome.Order),
            outcome.Duplicate));
    }

    public static Task<Results<Ok<OrderResponse>, ProblemHttpResult>> Cancel(Guid id, ReasonRequest request, HttpContext http, FinanceContext db,
        OrderPayments payments, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(id, http, db, payments, clock, FinanceAuditActions.OrderCancelled, new { request.Reason }, async order =>
        {
            if (order.Status != OrderStatuses.PendingPayment)
                return NotCancellable(order);
            await payments.CancelAsync(order, http.User.UserId(), request.Reason, cancellationToken);
            return null;
        }, cancellationToken);

    public static Task<Results<Ok<OrderResponse>, ProblemHttpResult>> Mark(Guid id, MarkRequest request, HttpContext http, FinanceContext db,
        OrderPayments payments, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(id, http, db, payments, clock, FinanceAuditActions.OrderMarked, new { request.Mark, request.Remark }, async order =>
        {
            switch (request.Mark)
            {
                case OrderMarks.Complete when order.Status == OrderStatuses.Paid:
                    // Handled by hand: fulfilled now; a rental event that comes back later finds it fulfilled and changes nothing.
                    order.Status = OrderStatuses.Fulfilled;
                    order.FulfilledAt = clock.GetUtcNow();
                    break;
                case OrderMarks.Renewed when order.Status == OrderStatuses.Fulfilled:
                    break;
                case OrderMarks.Cancelled when order.Status == OrderStatuses.PendingPayment:
                    await payments.CancelAsync(order, http.User.UserId(), request.Remark, cancellationToken);
                    break;
                case OrderMarks.Cancelled:
                    return NotCancellable(order);
                default:
                    return ApiProblems.Conflict(FinanceProblemCodes.MarkNotAllowed, $"An order that is {order.Status} cannot be marked {request.Mark}.");
            }
            if (!order.Marks.Contains(request.Mark))
                order.Marks = [.. order.Marks, request.Mark];
            if (request.Remark is not null)
                order.Remark = request.Remark;
            return null;
        }, cancellationToken);

    /// <summary>An expired or cancelled order waits for money again; what it received before is already in the wallet.</summary>
    public static Task<Results<Ok<OrderResponse>, ProblemHttpResult>> Reopen(Guid id, ReasonRequest request, HttpContext http, FinanceContext db,
        OrderPayments payments, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(id, http, db, payments, clock, FinanceAuditActions.OrderReopened, new { request.Reason }, async order =>
        {
            if (order.Status is not (OrderStatuses.Expired or OrderStatuses.Cancelled))
                return ApiProblems.Conflict(FinanceProblemCodes.OrderNotReopenable, "Only an expired or cancelled order can be re-opened.",
                    $"The order is {order.Status}.");
            // The memo may have gone to another order meanwhile: it must name one pending order only.
            var memo = order.Memo;
            while (await db.Orders.AnyAsync(o => o.Memo == memo && o.Status == OrderStatuses.PendingPayment && o.Id != order.Id, cancellationToken))
                memo = OrderCodes.NewMemo();
            var settings = await db.GetSettingsAsync(clock, cancellationToken);
            order.Memo = memo;
            order.Status = OrderStatuses.PendingPayment;
            order.CancelledAt = null;
            order.ExpiresAt = clock.GetUtcNow().AddMinutes(settings.OrderTimeoutMinutes);
            order.Marks = order.Marks.Where(m => m != OrderMarks.Cancelled).ToList();
            return null;
        }, cancellationToken);

    public static Task<Results<Ok<OrderResponse>, ProblemHttpResult>> Refund(Guid id, RefundRequest request, HttpContext http, FinanceContext db,
        OrderPayments payments, Ledger ledger, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(id, http, db, payments, clock, FinanceAuditActions.OrderRefunded, new { request.Method, request.AmountCents, request.Reason }, async order =>
        {
            if (order.Status is not (OrderStatuses.Paid or OrderStatuses.Fulfilled))
                return ApiProblems.Conflict(FinanceProblemCodes.OrderNotRefundable, "Only a paid or fulfilled order can be refunded.",
                    $"The order is {order.Status}.");
            var amount = request.AmountCents ?? order.PaidCents;
            if (amount > order.PaidCents)
                return ApiProblems.Problem(422, FinanceProblemCodes.RefundAmountInvalid, "A refund cannot exceed what was paid.",
                    $"The order was paid {order.PaidCents} fen.");
            var now = clock.GetUtcNow();
            if (request.Method == RefundMethods.Wallet && amount > 0)
            {
                await ledger.PostAsync(order.UserId, new LedgerPosting(LedgerEntryTypes.Refund, amount)
                {
                    OrderId = order.Id,
                    OperatorId = http.User.UserId(),
                    Remark = request.Reason,
                }, cancellationToken);
            }
            order.Status = OrderStatuses.Refunded;
            order.RefundedAt = now;
            order.RefundedCents = amount;
            order.Remark = request.Reason;
            db.AddIntegrationEvent(new OrderRefunded(order.Id, order.UserId, amount, order.Currency, request.Method, now), clock);
            return null;
        }, cancellationToken);

    public static async Task<Results<Ok<PagedResponse<AuditResponse>>, ValidationProblem>> ListAudit(FinanceContext db, string? action = null,
        string? targetId = null, int page = 1, int pageSize = 50, CancellationToken cancellationToken = default)
    {
        if (Paging.Check(page, pageSize, MaxPageSize) is { } invalid)
            return invalid;
        if (action is not null && !FinanceAuditActions.All.Contains(action))
            return ApiProblems.Validation("action", $"action must be one of: {string.Join(", ", FinanceAuditActions.All)}.");
        var query = db.Audit.AsNoTracking();
        if (action is not null)
            query = query.Where(a => a.Action == action);
        if (!string.IsNullOrWhiteSpace(targetId))
            query = query.Where(a => a.TargetId == targetId.Trim());
        var total = await query.CountAsync(cancellationToken);
        var entries = await query.OrderByDescending(a => a.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return TypedResults.Ok(new PagedResponse<AuditResponse>(entries.Select(AuditResponse.From).ToList(), total, page, pageSize));
    }

    public static ProblemHttpResult ReferenceConflict(Payment existing) =>
        ApiProblems.Conflict(FinanceProblemCodes.PaymentReferenceConflict, "This reference was already recorded for other money.",
            $"{existing.Channel} {existing.Reference} was recorded as {existing.AmountCents} fen{(existing.OrderId is { } o ? $" for order {o}" : "")}.");

    public static async Task<OrderResponse> AdminDetailAsync(FinanceContext db, Order order, CancellationToken cancellationToken)
    {
        var payments = await db.Payments.AsNoTracking().Where(p => p.OrderId == order.Id).OrderBy(p => p.CreatedAt).ToListAsync(cancellationToken);
        // The order's own entries and those of receipts matched to it.
        var targets = payments.Select(p => p.Id.ToString()).Append(order.Id.ToString()).ToList();
        var audit = await db.Audit.AsNoTracking().Where(a => targets.Contains(a.TargetId)).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var email = await db.Renters.Where(r => r.UserId == order.UserId).Select(r => r.Email).SingleOrDefaultAsync(cancellationToken);
        return OrdersApi.Detail(order, email, payments) with { Audit = audit.Select(AuditResponse.From).ToList() };
    }

    private static ProblemHttpResult NotCancellable(Order order) =>
        ApiProblems.Conflict(FinanceProblemCodes.OrderNotCancellable, "Only an unpaid order can be cancelled.", $"The order is {order.Status}; refund it instead.");

    /// <summary>One admin change of one order: the order locked, the change, its audit row, one commit. A problem rolls it all back.</summary>
    private static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> ChangeAsync(Guid id, HttpContext http, FinanceContext db,
        OrderPayments payments, TimeProvider clock, string action, object details, Func<Order, Task<ProblemHttpResult?>> change,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var order = await payments.LockOrderAsync(id, cancellationToken);
                if (order is null)
                    return OrdersApi.OrderNotFound();
                var before = order.Status;
                if (await change(order) is { } problem)
                    return problem;
                db.AddAudit(http, clock, action, "order", id, new { before, after = order.Status, details });
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return TypedResults.Ok(await AdminDetailAsync(db, order, cancellationToken));
            }
            catch (DbUpdateException e) when (attempt < 3 && e.InnerException is PostgresException
                                              { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ix_orders_memo" })
            {
                // A re-opened order's memo was taken by an order made at the same moment: start again, drawing another.
                db.ChangeTracker.Clear();
            }
        }
    }

    private static async Task<Dictionary<Guid, string?>> EmailsAsync(FinanceContext db, IEnumerable<Guid> userIds, CancellationToken cancellationToken)
    {
        var ids = userIds.Distinct().ToList();
        return await db.Renters.Where(r => ids.Contains(r.UserId)).ToDictionaryAsync(r => r.UserId, r => r.Email, cancellationToken);
    }
}
