using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.Model;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Derp.Finance.Api.Apis;

/// <summary>Donations made with donation serials (seed 004): the donor's own, the admins' list, the public thank-you list.</summary>
public static class DonationsApi
{
    private const int MaxPageSize = 200;

    public static IEndpointRouteBuilder MapDonationsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("api/finance/me/donations").WithTags("Donations").RequireAuthorization(Policies.Customer)
            .MapGet("", ListMine);

        var donations = routes.MapGroup("api/finance/donations").WithTags("Donations");
        donations.MapGet("", ListAll).RequireAuthorization(Policies.Admin);
        donations.MapGet("public", ListPublic).AllowAnonymous();
        return routes;
    }

    public static async Task<Results<Ok<PagedResponse<MyDonationResponse>>, ValidationProblem>> ListMine(
        HttpContext http, FinanceContext db, CancellationToken cancellationToken, int page = 1, int pageSize = 20)
    {
        if (Paging.Check(page, pageSize, MaxPageSize) is { } invalid)
            return invalid;
        var userId = http.User.UserId();
        var query = db.Donations.AsNoTracking().Where(d => d.UserId == userId);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(d => new MyDonationResponse(d.Id, d.SerialId, d.FullCode, d.DonorName, d.Message, d.Anonymous, d.AmountCents, d.Currency, d.CreatedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PagedResponse<MyDonationResponse>(items, total, page, pageSize));
    }

    public static async Task<Results<Ok<PagedResponse<DonationResponse>>, ValidationProblem>> ListAll(
        FinanceContext db, CancellationToken cancellationToken, DateTimeOffset? from = null, DateTimeOffset? to = null, Guid? userId = null,
        int page = 1, int pageSize = 20)
    {
        if (Paging.Check(page, pageSize, MaxPageSize) is { } invalid)
            return invalid;
        // PostgreSQL takes timestamptz parameters in UTC; the caller may have written any offset.
        from = from?.ToUniversalTime();
        to = to?.ToUniversalTime();
        if (from is not null && to is not null && from >= to)
            return ApiProblems.Validation("to", "to must be later than from.");

        var query = db.Donations.AsNoTracking();
        if (from is not null)
            query = query.Where(d => d.CreatedAt >= from);
        if (to is not null)
            query = query.Where(d => d.CreatedAt < to);
        if (userId is not null)
            query = query.Where(d => d.UserId == userId);

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(d => new DonationResponse(d.Id, d.UserId, db.Renters.Where(r => r.UserId == d.UserId).Select(r => r.Email).FirstOrDefault(),
                d.SerialId, d.FullCode, d.DonorName, d.Message, d.Anonymous, d.AmountCents, d.Currency, d.CreatedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PagedResponse<DonationResponse>(items, total, page, pageSize));
    }

    /// <summary>The thank-you list, only when the operator opted in: names unless anonymous, never a user id or a card key.</summary>
    public static async Task<Results<Ok<PagedResponse<PublicDonationResponse>>, ValidationProblem, ProblemHttpResult>> ListPublic(
        FinanceContext db, CancellationToken cancellationToken, int page = 1, int pageSize = 20)
    {
        if (Paging.Check(page, pageSize, MaxPageSize) is { } invalid)
            return invalid;
        var enabled = await db.Settings.AsNoTracking().Where(s => s.Id == FinanceSettings.SingletonId)
            .Select(s => s.PublicDonations).SingleOrDefaultAsync(cancellationToken);
        if (!enabled)
            return ApiProblems.NotFound(FinanceProblemCodes.PublicDonationsOff, "The public donation list is not enabled.");

        var total = await db.Donations.CountAsync(cancellationToken);
        var items = await db.Donations.AsNoTracking().OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(d => new PublicDonationResponse(d.Anonymous ? null : d.DonorName, d.Message, d.Anonymous, d.AmountCents, d.Currency, d.CreatedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PagedResponse<PublicDonationResponse>(items, total, page, pageSize));
    }
}

public sealed record MyDonationResponse(
    Guid Id, Guid SerialId, string FullCode, string? DonorName, string? Message, bool Anonymous, long AmountCents, string Currency, DateTimeOffset CreatedAt);

public sealed record DonationResponse(
    Guid Id, Guid UserId, string? UserEmail, Guid SerialId, string FullCode, string? DonorName, string? Message, bool Anonymous,
    long AmountCents, string Currency, DateTimeOffset CreatedAt);

public sealed record PublicDonationResponse(string? DonorName, string? Message, bool Anonymous, long AmountCents, string Currency, DateTimeOffset CreatedAt);
