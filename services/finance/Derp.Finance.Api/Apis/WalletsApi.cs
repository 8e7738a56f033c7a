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

/// <summary>Renters' prepaid balances: their own view (the user id comes from the token, never the URL) and the admins'.</summary>
public static class WalletsApi
{
    public const int MaxReasonLength = 200;

    /// <summary>Far beyond any real adjustment, and far from the bigint range the balance arithmetic runs in.</summary>
    public const long MaxAdjustmentCents = 1_000_000_000;

    private const int MaxPageSize = 200;

    public static IEndpointRouteBuilder MapWalletsApi(this IEndpointRouteBuilder routes)
    {
        var mine = routes.MapGroup("api/finance/me/wallet").WithTags("Wallet").RequireAuthorization(Policies.Customer);
        mine.MapGet("", GetMyWallet);
        mine.MapGet("ledger", GetMyLedger);

        var admin = routes.MapGroup("api/finance/wallets").WithTags("Wallets (admin)").RequireAuthorization(Policies.Admin);
        admin.MapGet("", ListWallets);
        admin.MapGet("{userId:guid}/ledger", GetLedger);
        admin.MapPost("{userId:guid}/adjustments", Adjust);
        return routes;
    }

    public static async Task<Ok<WalletResponse>> GetMyWallet(HttpContext http, FinanceContext db, CancellationToken cancellationToken)
    {
        var userId = http.User.UserId();
        var wallet = await db.Wallets.AsNoTracking().SingleOrDefaultAsync(w => w.UserId == userId, cancellationToken);
        return TypedResults.Ok(new WalletResponse(wallet?.BalanceCents ?? 0, wallet?.Currency ?? Currencies.Cny));
    }

    public static Task<Results<Ok<PagedResponse<LedgerEntryResponse>>, ValidationProblem>> GetMyLedger(
        HttpContext http, FinanceContext db, CancellationToken cancellationToken, int page = 1, int pageSize = 20) =>
        LedgerPageAsync(db, http.User.UserId(), page, pageSize, cancellationToken);

    public static Task<Results<Ok<PagedResponse<LedgerEntryResponse>>, ValidationProblem>> GetLedger(
        Guid userId, FinanceContext db, CancellationToken cancellationToken, int page = 1, int pageSize = 20) =>
        LedgerPageAsync(db, userId, page, pageSize, cancellationToken);

    public static async Task<Results<Ok<PagedResponse<AdminWalletResponse>>, ValidationProblem>> ListWallets(
        FinanceContext db, CancellationToken cancellationToken, Guid? userId = null, long? minBalanceCents = null, int page = 1, int pageSize = 20)
    {
        if (Paging.Check(page, pageSize, MaxPageSize) is { } invalid)
            return invalid;

        var query = db.Wallets.AsNoTracking().Where(w => w.Kind == WalletKinds.Renter);
        if (userId is not null)
            query = query.Where(w => w.UserId == userId);
        if (minBalanceCents is not null)
            query = query.Where(w => w.BalanceCents >= minBalanceCents);

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(w => w.UpdatedAt).ThenBy(w => w.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(w => new AdminWalletResponse(w.UserId!.Value, db.Renters.Where(r => r.UserId == w.UserId).Select(r => r.Email).FirstOrDefault(),
                w.BalanceCents, w.Currency, w.UpdatedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PagedResponse<AdminWalletResponse>(items, total, page, pageSize));
    }

    /// <summary>
    /// An admin's correction of a balance, with a reason. The user need not be in the renter projection: accounts made
    /// before finance existed never produced the event that would put them there.
    /// </summary>
    public static async Task<Results<Ok<LedgerEntryResponse>, ValidationProblem, ProblemHttpResult>> Adjust(
        Guid userId, AdjustmentRequest request, HttpContext http, FinanceContext db, Ledger ledger, TimeProvider clock, CancellationToken cancellationToken)
    {
        var reason = request.Reason?.Trim();
        var errors = new Dictionary<string, string[]>();
        if (request.AmountCents == 0 || Math.Abs(request.AmountCents) > MaxAdjustmentCents)
            errors["amountCents"] = [$"The amount must be non-zero and at most {MaxAdjustmentCents} in either direction."];
        if (string.IsNullOrEmpty(reason) || reason.Length > MaxReasonLength)
            errors["reason"] = [$"A reason of 1 to {MaxReasonLength} characters is required."];
        if (errors.Count > 0)
            return ApiProblems.Validation(errors);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var entry = await ledger.PostAsync(userId,
            new LedgerPosting(LedgerEntryTypes.Adjustment, request.AmountCents) { OperatorId = http.User.UserId(), Remark = reason }, cancellationToken);
        if (entry is null)
            return ApiProblems.Conflict(FinanceProblemCodes.InsufficientBalance, "The balance is smaller than the debit.",
                "An adjustment may not take a balance below zero.");
        db.AddAudit(http, clock, FinanceAuditActions.WalletAdjusted, "wallet", userId,
            new { request.AmountCents, reason, entry.BalanceAfterCents, entryId = entry.Id });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(LedgerEntryResponse.From(entry));
    }

    private static async Task<Results<Ok<PagedResponse<LedgerEntryResponse>>, ValidationProblem>> LedgerPageAsync(
        FinanceContext db, Guid userId, int page, int pageSize, CancellationToken cancellationToken)
    {
        if (Paging.Check(page, pageSize, MaxPageSize) is { } invalid)
            return invalid;
        // By the renter's wallet, not by the entry's user: a donation entry names its donor but sits on the platform's account.
        var walletId = await db.Wallets.Where(w => w.UserId == userId).Select(w => (Guid?)w.Id).SingleOrDefaultAsync(cancellationToken);
        if (walletId is null)
            return TypedResults.Ok(new PagedResponse<LedgerEntryResponse>([], 0, page, pageSize));

        var query = db.Ledger.AsNoTracking().Where(e => e.WalletId == walletId);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return TypedResults.Ok(new PagedResponse<LedgerEntryResponse>(items.Select(LedgerEntryResponse.From).ToList(), total, page, pageSize));
    }
}

public sealed record AdjustmentRequest(long AmountCents, string? Reason);

public sealed record WalletResponse(long BalanceCents, string Currency);

public sealed record AdminWalletResponse(Guid UserId, string? UserEmail, long BalanceCents, string Currency, DateTimeOffset UpdatedAt);

public sealed record LedgerEntryResponse(
    Guid Id,
    string Type,
    long AmountCents,
    long BalanceAfterCents,
    string Currency,
    Guid? OrderId,
    Guid? SerialId,
    Guid? DonationId,
    Guid? ReceiptId,
    Guid? OperatorId,
    string? Remark,
    DateTimeOffset CreatedAt)
{
    public static LedgerEntryResponse From(LedgerEntry e) =>
        new(e.Id, e.Type, e.AmountCents, e.BalanceAfterCents, e.Currency, e.OrderId, e.SerialId, e.DonationId, e.PaymentId, e.OperatorId, e.Remark, e.CreatedAt);
}
