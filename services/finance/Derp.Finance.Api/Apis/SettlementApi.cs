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

/// <summary>
/// Settlement before deregistration (requirements §1.4): the internal question users' deregistration job asks, and the
/// admins' list of accounts it found unsettled, which they settle by refund or forfeit.
/// </summary>
public static class SettlementApi
{
    public const int MaxRemarkLength = 200;

    private const int MaxPageSize = 200;

    public static IEndpointRouteBuilder MapSettlementApi(this IEndpointRouteBuilder routes)
    {
        // No token: users' job calls it on the service's own port. The gateway has no route to it; a request that
        // came through a proxy anyway (it carries forwarding headers) is answered as if the path did not exist.
        routes.MapGet("internal/settlement/{userId:guid}", GetSettlement).WithTags("Internal").AllowAnonymous();

        var admin = routes.MapGroup("api/finance/settlements").WithTags("Settlement (admin)").RequireAuthorization(Policies.Admin);
        admin.MapGet("", ListCases);
        admin.MapPost("{userId:guid}", Settle);
        return routes;
    }

    public static async Task<Results<Ok<SettlementResponse>, ProblemHttpResult>> GetSettlement(
        Guid userId, HttpContext http, FinanceContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (CameThroughAProxy(http.Request))
            return ApiProblems.NotFound(ProblemCodes.NotFound, "Not found.");

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var assessment = await Settlement.AssessAsync(db, userId, cancellationToken);
        await Settlement.RecordAsync(db, userId, assessment, clock.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(SettlementResponse.From(userId, assessment));
    }

    public static async Task<Results<Ok<PagedResponse<SettlementCaseResponse>>, ValidationProblem>> ListCases(
        FinanceContext db, CancellationToken cancellationToken, string status = "open", int page = 1, int pageSize = 20)
    {
        if (Paging.Check(page, pageSize, MaxPageSize) is { } invalid)
            return invalid;
        if (status is not ("open" or "settled" or "all"))
            return ApiProblems.Validation("status", "Status must be one of: open, settled, all.");

        var query = db.SettlementCases.AsNoTracking();
        if (status != "all")
            query = status == "open" ? query.Where(c => c.SettledAt == null) : query.Where(c => c.SettledAt != null);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(c => c.SettledAt != null).ThenBy(c => c.FirstAskedAt).ThenBy(c => c.UserId)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(c => new SettlementCaseResponse(c.UserId, db.Renters.Where(r => r.UserId == c.UserId).Select(r => r.Email).FirstOrDefault(),
                c.SettledAt == null, c.Blockers, c.BalanceCents, c.FirstAskedAt, c.LastAskedAt, c.SettledAt, c.SettledBy, c.Action, c.Remark))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PagedResponse<SettlementCaseResponse>(items, total, page, pageSize));
    }

    /// <summary>
    /// Cancels the account's unpaid orders and empties its wallet (paid back by hand, or given up), in one transaction.
    /// A paid order still waiting for its rental is not undone here: the admin refunds or completes it, so the answer
    /// can still be "not settled".
    /// </summary>
    public static async Task<Results<Ok<SettlementResponse>, ValidationProblem>> Settle(
        Guid userId, SettleRequest request, HttpContext http, FinanceContext db, Ledger ledger, TimeProvider clock, CancellationToken cancellationToken)
    {
        var remark = request.Remark?.Trim();
        var errors = new Dictionary<string, string[]>();
        if (request.Action is null || !SettlementActions.All.Contains(request.Action))
            errors["action"] = [$"Action must be one of: {string.Join(", ", SettlementActions.All)}."];
        if (string.IsNullOrEmpty(remark) || remark.Length > MaxRemarkLength)
            errors["remark"] = [$"A remark of 1 to {MaxRemarkLength} characters is required."];
        if (errors.Count > 0)
            return ApiProblems.Validation(errors);

        var now = clock.GetUtcNow();
        var adminId = http.User.UserId();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Lock what this changes, so a payment confirmed meanwhile waits and then finds the order cancelled.
        var unpaid = await db.Orders.FromSql($"SELECT * FROM orders WHERE user_id = {userId} AND status = {OrderStatuses.PendingPayment} FOR UPDATE")
            .ToListAsync(cancellationToken);
        _ = await db.Database.SqlQuery<long>($"SELECT balance_cents AS \"Value\" FROM wallets WHERE user_id = {userId} FOR UPDATE").ToListAsync(cancellationToken);

        foreach (var order in unpaid)
        {
            order.Status = OrderStatuses.Cancelled;
            order.CancelledAt = now;
            // Part of it was paid: that money is the renter's, so it joins the balance that is settled below.
            if (order.PaidCents > 0)
                _ = await ledger.PostAsync(userId, new LedgerPosting(LedgerEntryTypes.Overpayment, order.PaidCents)
                    { OrderId = order.Id, OperatorId = adminId, Remark = "order cancelled at settlement" }, cancellationToken);
        }

        var balance = await ledger.BalanceAsync(userId, cancellationToken);
        if (balance > 0)
        {
            var type = request.Action == SettlementActions.Refund ? LedgerEntryTypes.PaidOut : LedgerEntryTypes.Forfeit;
            _ = await ledger.PostAsync(userId, new LedgerPosting(type, -balance) { OperatorId = adminId, Remark = remark }, cancellationToken)
                ?? throw new InvalidOperationException("The wallet is locked: its whole balance must fit.");
        }
        await db.SaveChangesAsync(cancellationToken);

        var assessment = await Settlement.AssessAsync(db, userId, cancellationToken);
        if (!assessment.Settled)
            await Settlement.RecordAsync(db, userId, assessment, now, cancellationToken);
        else
            await db.Database.ExecuteSqlAsync(
                $"""
                 INSERT INTO settlement_cases (user_id, blockers, balance_cents, first_asked_at, last_asked_at, settled_at, settled_by, action, remark)
                 VALUES ({userId}, {Array.Empty<string>()}, 0, {now}, {now}, {now}, {adminId}, {request.Action}, {remark})
                 ON CONFLICT (user_id) DO UPDATE SET settled_at = {now}, settled_by = {adminId}, action = {request.Action}, remark = {remark},
                   blockers = excluded.blockers, balance_cents = 0
                 """, cancellationToken);

        db.AddAudit(http, clock, FinanceAuditActions.AccountSettled, "account", userId, new
        {
            request.Action,
            remark,
            cancelledOrders = unpaid.Select(o => o.Id).ToList(),
            settledBalanceCents = balance,
            assessment.Settled,
            assessment.Blockers,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(SettlementResponse.From(userId, assessment));
    }

    private static bool CameThroughAProxy(HttpRequest request) =>
        request.Headers.ContainsKey("X-Forwarded-For") || request.Headers.ContainsKey("X-Original-For") || request.Headers.ContainsKey("Forwarded");
}

public sealed record SettleRequest(string? Action, string? Remark);

public sealed record SettlementResponse(Guid UserId, bool Settled, IReadOnlyList<string> Blockers, long BalanceCents)
{
    public static SettlementResponse From(Guid userId, SettlementAssessment assessment) =>
        new(userId, assessment.Settled, assessment.Blockers, assessment.BalanceCents);
}

public sealed record SettlementCaseResponse(
    Guid UserId,
    string? UserEmail,
    bool Open,
    IReadOnlyList<string> Blockers,
    long BalanceCents,
    DateTimeOffset FirstAskedAt,
    DateTimeOffset LastAskedAt,
    DateTimeOffset? SettledAt,
    Guid? SettledBy,
    string? Action,
    string? Remark);
