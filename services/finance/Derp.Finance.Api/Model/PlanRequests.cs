using Derp.Contracts.Finance;
using FluentValidation;

namespace Derp.Finance.Api.Model;

public sealed record PlanRequest(
    string NameZh,
    string NameEn,
    int DurationDays,
    long PriceCents,
    int TrafficQuotaGb,
    bool Sell,
    bool Renew,
    int SortOrder,
    int? CapacityLimit = null,
    string? Currency = null);

public sealed record PlanResponse(Guid Id, long Version, string NameZh, string NameEn, int DurationDays, long PriceCents, string Currency,
    int TrafficQuotaGb, bool Sell, bool Renew, int SortOrder, int? CapacityLimit, int ActiveRenters, bool SoldOut, bool Retired,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static PlanResponse From(Plan p, int activeRenters) => new(p.Id, p.Version, p.NameZh, p.NameEn, p.DurationDays, p.PriceCents,
        p.Currency, p.TrafficQuotaGb, p.Sell, p.Renew, p.SortOrder, p.CapacityLimit, activeRenters, IsSoldOut(p, activeRenters), p.Retired,
        p.CreatedAt, p.UpdatedAt);

    public static bool IsSoldOut(Plan plan, int activeRenters) => plan.CapacityLimit is { } limit && activeRenters >= limit;
}

public sealed class PlanRequestValidator : AbstractValidator<PlanRequest>
{
    public const int MaxDurationDays = 3660;
    public const long MaxPriceCents = 100_000_000;
    public const int MaxTrafficQuotaGb = 100_000;

    public PlanRequestValidator()
    {
        RuleFor(r => r.NameZh).Must(n => !string.IsNullOrWhiteSpace(n) && n.Trim().Length <= 64).WithMessage("nameZh is required, at most 64 characters.");
        RuleFor(r => r.NameEn).Must(n => !string.IsNullOrWhiteSpace(n) && n.Trim().Length <= 64).WithMessage("nameEn is required, at most 64 characters.");
        RuleFor(r => r.DurationDays).InclusiveBetween(1, MaxDurationDays).WithMessage($"durationDays must be between 1 and {MaxDurationDays}.");
        RuleFor(r => r.PriceCents).InclusiveBetween(0, MaxPriceCents).WithMessage($"priceCents must be between 0 and {MaxPriceCents}.");
        RuleFor(r => r.TrafficQuotaGb).InclusiveBetween(0, MaxTrafficQuotaGb).WithMessage($"trafficQuotaGb must be between 0 (unlimited) and {MaxTrafficQuotaGb}.");
        RuleFor(r => r.SortOrder).InclusiveBetween(-1_000_000, 1_000_000).WithMessage("sortOrder must be between -1000000 and 1000000.");
        RuleFor(r => r.CapacityLimit).InclusiveBetween(1, 10_000_000).When(r => r.CapacityLimit is not null)
            .WithMessage("capacityLimit must be at least 1 (leave it out for no limit).");
        RuleFor(r => r.Currency).Must(c => c is null || Currencies.All.Contains(c))
            .WithMessage($"currency must be one of: {string.Join(", ", Currencies.All)}.");
    }
}
