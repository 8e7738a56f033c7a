using Derp.Contracts.Distribution;
using Derp.Contracts.Finance;
using Derp.Distribution.Api.Infrastructure;
using Derp.Distribution.Api.Model;
using Derp.Distribution.Api.Services;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Problems;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Derp.Distribution.Api.Apis;

/// <summary>
/// A distributor's own figures, renters, commission and wallet transfers (the user id comes from the token, never the
/// URL), and the admins' view of every distributor's finances (seed 002 §5).
/// </summary>
public static class CommissionsApi
{
    public const int MaxPageSize = 200;

    /// <summary>Far beyond any real commission, far from the bigint range the sums run in.</summary>
    public const long MaxAmountCents = 1_000_000_000;

    public static IEndpointRouteBuilder MapCommissionsApi(this IEndpointRouteBuilder routes)
    {
        var mine = routes.MapGroup("api/distribution/me").WithTags("Commissions").RequireAuthorization(Policies.Distributor);
        mine.MapGet("dashboard", GetDashboard);
        mine.MapGet("renters", ListMyRenters);
        mine.MapGet("commissions", ListMyCommissions);
        mine.MapPost("wallet-transfers", MoveToWallet).Validate<WalletTransferRequest>();

        var admin = routes.MapGroup("api/distribution").WithTags("Commissions (admin)").RequireAuthorization(Policies.Admin);
        admin.MapGet("finances", ListFinances);
        return routes;
    }

    public static ProblemHttpResult NotADistributor() =>
        ApiProblems.Problem(403, DistributionProblemCodes.NotADistributor, "Only a distributor has commission.");

    public static async Task<Results<Ok<DashboardResponse>, ProblemHttpResult>> GetDashboard(HttpContext http, DistributionContext db, IConfiguration configuration,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var me = http.User.UserId();
        var distributor = await db.Distributors.AsNoTracking().SingleOrDefaultAsync(d => d.UserId == me, cancellationToken);
        if (distributor is null)
            return NotADistributor();
        var tiers = await db.Tiers.AsNoTracking().OrderBy(t => t.SortOrder).ToListAsync(cancellationToken);
        var tier = tiers.SingleOrDefault(t => t.Code == distributor.TierCode);
        var nextTier = tier is null ? null : tiers.FirstOrDefault(t => t.SortOrder > tier.SortOrder && t.PromotionTurnoverCents is not null);
        var windowDays = PromotionWindowDays(configuration);
        var figures = (await FiguresAsync(db, [me], clock.GetUtcNow().AddDays(-windowDays), cancellationToken))[me];
        var renters = await db.Attributions.CountAsync(a => a.DistributorId == me, cancellationToken);

        NextTierResponse? next = null;
        if (nextTier is { PromotionTurnoverCents: { } threshold })
        {
            var progress = threshold <= 0 ? CommissionMath.BasisPointsPerWhole
                : (int)Math.Min(CommissionMath.BasisPointsPerWhole, figures.TurnoverCents * CommissionMath.BasisPointsPerWhole / threshold);
            next = new NextTierResponse(nextTier.Code, nextTier.NameZh, nextTier.NameEn, nextTier.RateBasisPoints, threshold,
                Math.Max(0, threshold - figures.TurnoverCents), progress);
        }
        return TypedResults.Ok(new DashboardResponse(distributor.TierCode, tier?.NameZh, tier?.NameEn, tier?.RateBasisPoints ?? 0, tier?.HoldingDays ?? 0,
            tier?.MinimumPayoutCents ?? 0, next, windowDays, renters, figures));
    }

    public static async Task<Results<Ok<PagedResponse<RenterResponse>>, ValidationProblem, ProblemHttpResult>> ListMyRenters(HttpContext http,
        DistributionContext db, CancellationToken cancellationToken, int page = 1, int pageSize = 20)
    {
        if (Paging.Check(page, pageSize, MaxPageSize) is { } invalid)
            return invalid;
        var me = http.User.UserId();
        if (!await db.Distributors.AnyAsync(d => d.UserId == me, cancellationToken))
            return NotADistributor();
        var query = db.Attributions.AsNoTracking().Where(a => a.DistributorId == me);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(a => a.AttributedAt).ThenBy(a => a.RenterId).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(a => new
            {
                a.RenterId,
                a.AttributedAt,
                Email = db.KnownUsers.Where(u => u.UserId == a.RenterId).Select(u => u.Email).FirstOrDefault(),
                Earned = db.Commissions.Where(c => c.DistributorId == me && c.RenterId == a.RenterId && c.Kind == CommissionKinds.Order
                    && c.Status != CommissionStatuses.Reversed).Sum(c => (long?)c.BaseCents) ?? 0,
            })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PagedResponse<RenterResponse>(
            rows.Select(r => new RenterResponse(r.RenterId, MaskEmail(r.Email), r.AttributedAt, r.Earned)).ToList(), total, page, pageSize));
    }

    public static async Task<Results<Ok<PagedResponse<CommissionResponse>>, ValidationProblem, ProblemHttpResult>> ListMyCommissions(HttpContext http,
        DistributionContext db, CancellationToken cancellationToken, string? status = null, int page = 1, int pageSize = 20)
    {
        if (Paging.Check(page, pageSize, MaxPageSize) is { } invalid)
            return invalid;
        if (status is not null && !CommissionStatuses.All.Contains(status))
            return ApiProblems.Validation("status", $"Status must be one of {string.Join(", ", CommissionStatuses.All)}.");
        var me = http.User.UserId();
        if (!await db.Distributors.AnyAsync(d => d.UserId == me, cancellationToken))
            return NotADistributor();
        var query = db.Commissions.AsNoTracking().Where(c => c.DistributorId == me);
        if (status is not null)
            query = query.Where(c => c.Status == status);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(c => c.EarnedAt).ThenByDescending(c => c.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(c => new CommissionResponse(c.Id, c.OrderId, c.RenterId, c.Kind, c.Status, c.BaseCents, c.RateBasisPoints, c.TierCode, c.AmountCents,
                c.Currency, c.EarnedAt, c.AvailableAt, c.PayoutId, c.WalletTransferId, c.ReversedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PagedResponse<CommissionResponse>(items, total, page, pageSize));
    }

    /// <summary>Available commission to the distributor's finance wallet: drawn under the lock, credited by finance once per transfer id.</summary>
    public static async Task<Results<Created<WalletTransferResponse>, ProblemHttpResult>> MoveToWallet(WalletTransferRequest request, HttpContext http,
        DistributionContext db, CommissionAccount account, TimeProvider clock, CancellationToken cancellationToken)
    {
        var me = http.User.UserId();
        if (!await db.Distributors.AnyAsync(d => d.UserId == me, cancellationToken))
            return NotADistributor();
        var transfer = new WalletTransfer
        {
            Id = Guid.CreateVersion7(),
            DistributorId = me,
            AmountCents = request.AmountCents,
            Currency = Currencies.Cny,
            CreatedAt = clock.GetUtcNow(),
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await account.LockAsync(me, cancellationToken);
        if (!await account.DrawAsync(me, request.AmountCents, CommissionStatuses.Paid, c => c.WalletTransferId = transfer.Id, cancellationToken))
            return InsufficientCommission();
        db.WalletTransfers.Add(transfer);
        db.AddIntegrationEvent(new CommissionMovedToWallet(transfer.Id, me, transfer.AmountCents, transfer.Currency, transfer.CreatedAt), clock);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/distribution/me/wallet-transfers/{transfer.Id}",
            new WalletTransferResponse(transfer.Id, transfer.AmountCents, transfer.Currency, transfer.CreatedAt));
    }

    public static ProblemHttpResult InsufficientCommission() =>
        ApiProblems.Conflict(DistributionProblemCodes.InsufficientCommission, "Not enough available commission.",
            "The amount is more than the available commission (after any refunded commission is paid back).");

    public static async Task<Results<Ok<PagedResponse<DistributorFinancesResponse>>, ValidationProblem>> ListFinances(DistributionContext db,
        IConfiguration configuration, TimeProvider clock, CancellationToken cancellationToken, string? status = null, int page = 1, int pageSize = 20)
    {
        if (Paging.Check(page, pageSize, MaxPageSize) is { } invalid)
            return invalid;
        if (status is not null && !DistributorStatuses.All.Contains(status))
            return ApiProblems.Validation("status", $"Status must be one of {string.Join(", ", DistributorStatuses.All)}.");
        var query = db.Distributors.AsNoTracking();
        if (status is not null)
            query = query.Where(d => d.Status == status);
        var total = await query.CountAsync(cancellationToken);
        var distributors = await query.OrderBy(d => d.CreatedAt).ThenBy(d => d.UserId).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        var ids = distributors.Select(d => d.UserId).ToList();
        var figures = await FiguresAsync(db, ids, clock.GetUtcNow().AddDays(-PromotionWindowDays(configuration)), cancellationToken);
        var items = distributors.Select(d => new DistributorFinancesResponse(d.UserId, d.Email, d.ContactName, d.TierCode, d.Status, figures[d.UserId])).ToList();
        return TypedResults.Ok(new PagedResponse<DistributorFinancesResponse>(items, total, page, pageSize));
    }

    public static int PromotionWindowDays(IConfiguration configuration) => configuration.GetValue("Distribution:PromotionWindowDays", 90);

    /// <summary>The figures a distributor's dashboard and the admins' finances list show, for a page of distributors at once.</summary>
    public static async Task<Dictionary<Guid, FiguresResponse>> FiguresAsync(DistributionContext db, IReadOnlyCollection<Guid> ids, DateTimeOffset windowStart,
        CancellationToken cancellationToken)
    {
        var commissionTurnover = await CommissionTurnover.SinceAsync(db, ids, windowStart, cancellationToken);
        var requestTurnover = await Turnover.SerialPurchasesAsync(db, ids, windowStart, to: null, cancellationToken);
        var bought = await db.SerialRequests.AsNoTracking()
            .Where(r => ids.Contains(r.DistributorId) && (r.Status == SerialRequestStatuses.Paid || r.Status == SerialRequestStatuses.Issued))
            .GroupBy(r => r.DistributorId).Select(g => new { g.Key, Count = g.Sum(r => r.Quantity) })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var redeemed = await db.StockSerials.AsNoTracking().Where(s => ids.Contains(s.DistributorId) && s.RedeemedAt != null)
            .GroupBy(s => s.DistributorId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var commissions = await db.Commissions.AsNoTracking().Where(c => ids.Contains(c.DistributorId))
            .GroupBy(c => new { c.DistributorId, c.Status }).Select(g => new { g.Key.DistributorId, g.Key.Status, Sum = g.Sum(c => c.AmountCents) })
            .ToListAsync(cancellationToken);
        var payouts = await db.Payouts.AsNoTracking().Where(p => ids.Contains(p.DistributorId))
            .GroupBy(p => new { p.DistributorId, p.Status }).Select(g => new { g.Key.DistributorId, g.Key.Status, Sum = g.Sum(p => p.AmountCents), Count = g.Count() })
            .ToListAsync(cancellationToken);
        var transfers = await db.WalletTransfers.AsNoTracking().Where(w => ids.Contains(w.DistributorId))
            .GroupBy(w => w.DistributorId).Select(g => new { g.Key, Sum = g.Sum(w => w.AmountCents) })
            .ToDictionaryAsync(g => g.Key, g => g.Sum, cancellationToken);

        return ids.ToDictionary(id => id, id =>
        {
            long Commission(string status) => commissions.Where(c => c.DistributorId == id && c.Status == status).Sum(c => c.Sum);
            long PayoutSum(string status) => payouts.Where(p => p.DistributorId == id && p.Status == status).Sum(p => p.Sum);
            int PayoutCount(string status) => payouts.Where(p => p.DistributorId == id && p.Status == status).Sum(p => p.Count);
            return new FiguresResponse(
                commissionTurnover.GetValueOrDefault(id) + requestTurnover.GetValueOrDefault(id),
                commissionTurnover.GetValueOrDefault(id),
                requestTurnover.GetValueOrDefault(id),
                bought.GetValueOrDefault(id),
                redeemed.GetValueOrDefault(id),
                new CommissionFigures(Commission(CommissionStatuses.Pending), Commission(CommissionStatuses.Available), Commission(CommissionStatuses.Locked),
                    Commission(CommissionStatuses.Paid), Commission(CommissionStatuses.Reversed)),
                new PayoutFigures(PayoutCount(PayoutStatuses.Requested), PayoutSum(PayoutStatuses.Requested), PayoutCount(PayoutStatuses.Paid),
                    PayoutSum(PayoutStatuses.Paid), transfers.GetValueOrDefault(id)));
        });
    }

    /// <summary>"alice@example.com" → "a***@example.com": a distributor knows which renters they brought, not their addresses.</summary>
    public static string? MaskEmail(string? email)
    {
        if (string.IsNullOrEmpty(email))
            return null;
        var at = email.LastIndexOf('@');
        return at <= 0 ? "***" : $"{email[0]}***{email[at..]}";
    }
}

public sealed record WalletTransferRequest(long AmountCents);

public sealed class WalletTransferRequestValidator : AbstractValidator<WalletTransferRequest>
{
    public WalletTransferRequestValidator() =>
        RuleFor(r => r.AmountCents).GreaterThan(0).LessThanOrEqualTo(CommissionsApi.MaxAmountCents);
}

public sealed record WalletTransferResponse(Guid Id, long AmountCents, string Currency, DateTimeOffset CreatedAt);

public sealed record CommissionFigures(long PendingCents, long AvailableCents, long LockedCents, long PaidCents, long ReversedCents);

public sealed record PayoutFigures(int RequestedCount, long RequestedCents, int PaidCount, long PaidCents, long MovedToWalletCents);

public sealed record FiguresResponse(long TurnoverCents, long RentalTurnoverCents, long SerialPurchaseTurnoverCents, int SerialsBought, int SerialsRedeemed,
    CommissionFigures Commissions, PayoutFigures Payouts);

public sealed record NextTierResponse(string Code, string NameZh, string NameEn, int RateBasisPoints, long PromotionTurnoverCents, long RemainingCents,
    int ProgressBasisPoints);

public sealed record DashboardResponse(string TierCode, string? TierNameZh, string? TierNameEn, int RateBasisPoints, int HoldingDays, long MinimumPayoutCents,
    NextTierResponse? NextTier, int PromotionWindowDays, int Renters, FiguresResponse Figures);

public sealed record RenterResponse(Guid RenterId, string? Email, DateTimeOffset AttributedAt, long PaidCents);

public sealed record CommissionResponse(Guid Id, Guid OrderId, Guid RenterId, string Kind, string Status, long BaseCents, int RateBasisPoints, string TierCode,
    long AmountCents, string Currency, DateTimeOffset EarnedAt, DateTimeOffset AvailableAt, Guid? PayoutId, Guid? WalletTransferId, DateTimeOffset? ReversedAt);

public sealed record DistributorFinancesResponse(Guid UserId, string? Email, string ContactName, string TierCode, string Status, FiguresResponse Figures);
