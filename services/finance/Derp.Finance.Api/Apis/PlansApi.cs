using Derp.Contracts.Finance;
using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.Model;
using Derp.Finance.Api.Services;
using Derp.ServiceDefaults.Audit;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Derp.Finance.Api.Apis;

public static class PlansApi
{
    public static IEndpointRouteBuilder MapPlansApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("api/finance/plans").WithTags("Plans");
        api.MapGet("", ListOnSale).AllowAnonymous();
        var admin = api.MapGroup("").RequireAuthorization(Policies.Admin);
        admin.MapGet("all", ListAll);
        admin.MapPost("", Create).Validate<PlanRequest>();
        admin.MapPut("{id:guid}", Update).Validate<PlanRequest>();
        admin.MapDelete("{id:guid}", Retire);
        return routes;
    }

    public static async Task<Ok<List<PlanResponse>>> ListOnSale(FinanceContext db, CancellationToken cancellationToken)
    {
        var plans = await db.Plans.AsNoTracking().Where(p => p.Sell && !p.Retired)
            .OrderBy(p => p.SortOrder).ThenBy(p => p.DurationDays).ToListAsync(cancellationToken);
        return TypedResults.Ok(await WithActiveRentersAsync(db, plans, cancellationToken));
    }

    public static async Task<Ok<List<PlanResponse>>> ListAll(FinanceContext db, CancellationToken cancellationToken)
    {
        var plans = await db.Plans.AsNoTracking().OrderBy(p => p.Retired).ThenBy(p => p.SortOrder).ThenBy(p => p.DurationDays)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(await WithActiveRentersAsync(db, plans, cancellationToken));
    }

    public static async Task<Created<PlanResponse>> Create(PlanRequest request, HttpContext http, FinanceContext db, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var plan = new Plan
        {
            Id = Guid.CreateVersion7(),
            NameZh = request.NameZh.Trim(),
            NameEn = request.NameEn.Trim(),
            Currency = request.Currency ?? Currencies.Cny,
            CreatedAt = now,
        };
        Apply(plan, request);
        db.Plans.Add(plan);
        Changed(db, plan, clock);
        db.AddAudit(http, clock, FinanceAuditActions.PlanCreated, "plan", plan.Id, request);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/finance/plans/{plan.Id}", PlanResponse.From(plan, 0));
    }

    public static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> Update(Guid id, PlanRequest request, HttpContext http, FinanceContext db,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Locked, so two edits at once cannot publish the same version.
        var plan = await db.Plans.FromSql($"SELECT * FROM plans WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (plan is null)
            return PlanNotFound();
        var before = PlanResponse.From(plan, 0);
        Apply(plan, request);
        if (request.Currency is not null)
            plan.Currency = request.Currency;
        Changed(db, plan, clock);
        db.AddAudit(http, clock, FinanceAuditActions.PlanUpdated, "plan", plan.Id, new { before, after = request });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(PlanResponse.From(plan, await ActiveRentersAsync(db, plan.Id, cancellationToken)));
    }

    /// <summary>Takes the plan off sale for good; it stays, because orders and serials point at it.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Retire(Guid id, HttpContext http, FinanceContext db, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var plan = await db.Plans.FromSql($"SELECT * FROM plans WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (plan is null)
            return PlanNotFound();
        if (plan.Retired)
            return TypedResults.NoContent();
        plan.Retired = true;
        plan.Sell = false;
        plan.Renew = false;
        Changed(db, plan, clock);
        db.AddAudit(http, clock, FinanceAuditActions.PlanRetired, "plan", plan.Id);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>A plan's change gets the next version and leaves as <see cref="PlanChanged"/> with the same save.</summary>
    public static void Changed(FinanceContext db, Plan plan, TimeProvider clock)
    {
        plan.Version++;
        plan.UpdatedAt = clock.GetUtcNow();
        Announce(db, plan, clock);
    }

    /// <summary>The plan as it is now, as <see cref="PlanChanged"/> (same version: projections that have it change nothing).</summary>
    public static void Announce(FinanceContext db, Plan plan, TimeProvider clock) =>
        db.AddIntegrationEvent(new PlanChanged(plan.Id, plan.Version, plan.NameZh, plan.NameEn, plan.DurationDays, plan.PriceCents, plan.Currency,
            plan.TrafficQuotaGb, plan.Sell, plan.Renew, plan.Retired, plan.UpdatedAt), clock);

    /// <summary>Renters whose rental is active on the plan: what its capacity limit counts.</summary>
    public static Task<int> ActiveRentersAsync(FinanceContext db, Guid planId, CancellationToken cancellationToken) =>
        db.Renters.CountAsync(r => r.RentalActive && r.PlanId == planId, cancellationToken);

    public static ProblemHttpResult PlanNotFound() => ApiProblems.NotFound(FinanceProblemCodes.PlanNotFound, "No such plan.");

    private static void Apply(Plan plan, PlanRequest request)
    {
        plan.NameZh = request.NameZh.Trim();
        plan.NameEn = request.NameEn.Trim();
        plan.DurationDays = request.DurationDays;
        plan.PriceCents = request.PriceCents;
        plan.TrafficQuotaGb = request.TrafficQuotaGb;
        plan.Sell = request.Sell;
        plan.Renew = request.Renew;
        plan.SortOrder = request.SortOrder;
        plan.CapacityLimit = request.CapacityLimit;
    }

    private static async Task<List<PlanResponse>> WithActiveRentersAsync(FinanceContext db, List<Plan> plans, CancellationToken cancellationToken)
    {
        var ids = plans.Select(p => p.Id).ToList();
        var counts = await db.Renters.Where(r => r.RentalActive && r.PlanId != null && ids.Contains(r.PlanId.Value))
            .GroupBy(r => r.PlanId!.Value).Select(g => new { PlanId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.PlanId, g => g.Count, cancellationToken);
        return plans.Select(p => PlanResponse.From(p, counts.GetValueOrDefault(p.Id))).ToList();
    }
}
