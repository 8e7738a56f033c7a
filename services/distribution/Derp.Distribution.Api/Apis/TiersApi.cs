using Derp.Contracts.Distribution;
using Derp.Distribution.Api.Infrastructure;
using Derp.Distribution.Api.Model;
using Derp.Distribution.Api.Services;
using Derp.ServiceDefaults.Audit;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Derp.Distribution.Api.Apis;

public sealed record TierResponse(
    string Code,
    string NameZh,
    string NameEn,
    int RateBasisPoints,
    int HoldingDays,
    long MinimumPayoutCents,
    long? PromotionTurnoverCents,
    int SortOrder,
    DateTimeOffset UpdatedAt)
{
    public static TierResponse From(Tier t) =>
        new(t.Code, t.NameZh, t.NameEn, t.RateBasisPoints, t.HoldingDays, t.MinimumPayoutCents, t.PromotionTurnoverCents, t.SortOrder, t.UpdatedAt);
}

/// <summary>Tiers are data (requirements §9.1): everyone signed in reads them, a superadmin adds and edits them (audited).</summary>
public static class TiersApi
{
    public static IEndpointRouteBuilder MapTiersApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("api/distribution/tiers").WithTags("Tiers");
        api.MapGet("", List).RequireAuthorization();
        api.MapPost("", Create).RequireAuthorization(Policies.SuperAdmin).Validate<TierRequest>();
        api.MapPut("{code}", Update).RequireAuthorization(Policies.SuperAdmin).Validate<TierRequest>();
        return routes;
    }

    public static async Task<Ok<List<TierResponse>>> List(DistributionContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok((await db.Tiers.AsNoTracking().OrderBy(t => t.SortOrder).ThenBy(t => t.Code).ToListAsync(cancellationToken))
            .Select(TierResponse.From).ToList());

    public static async Task<Results<Created<TierResponse>, ProblemHttpResult>> Create(TierRequest request, HttpContext http, DistributionContext db,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var tier = new Tier { Code = request.Code, NameZh = "", NameEn = "" };
        Apply(tier, request, clock);
        db.Tiers.Add(tier);
        db.AddAudit(http, clock, DistributionAuditActions.TierEdited, "tier", tier.Code, new { after = request });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return ApiProblems.Conflict(DistributionProblemCodes.TierExists, $"A tier with code {request.Code} exists.", "Edit it with PUT instead.");
        }
        return TypedResults.Created($"/api/distribution/tiers/{tier.Code}", TierResponse.From(tier));
    }

    /// <summary>Edits a tier; its code is its identity and cannot change (distributors and commissions refer to it).</summary>
    public static async Task<Results<Ok<TierResponse>, ProblemHttpResult, ValidationProblem>> Update(string code, TierRequest request, HttpContext http,
        DistributionContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (request.Code != code)
            return ApiProblems.Validation("code", "code must be the tier's code in the path (a tier's code cannot change).");
        var tier = await db.Tiers.SingleOrDefaultAsync(t => t.Code == code, cancellationToken);
        if (tier is null)
            return ApiProblems.NotFound(DistributionProblemCodes.TierNotFound, "No such tier.");
        var before = TierResponse.From(tier);
        Apply(tier, request, clock);
        db.AddAudit(http, clock, DistributionAuditActions.TierEdited, "tier", code, new { before, after = request });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(TierResponse.From(tier));
    }

    private static void Apply(Tier tier, TierRequest request, TimeProvider clock)
    {
        tier.NameZh = request.NameZh.Trim();
        tier.NameEn = request.NameEn.Trim();
        tier.RateBasisPoints = request.RateBasisPoints;
        tier.HoldingDays = request.HoldingDays;
        tier.MinimumPayoutCents = request.MinimumPayoutCents;
        tier.PromotionTurnoverCents = request.PromotionTurnoverCents;
        tier.SortOrder = request.SortOrder;
        tier.UpdatedAt = clock.GetUtcNow();
    }
}
