using Derp.Contracts.Finance;
using FluentValidation;

namespace Derp.Distribution.Api.Model;

public sealed record ApplicationRequest(
    string ContactName,
    string Contact,
    string PayoutChannel,
    string PayoutAccountName,
    string PayoutAccount,
    string? PayoutQrBase64 = null,
    string? PayoutQrContentType = null,
    string? Remark = null);

public sealed record ApproveApplicationRequest(string? TierCode = null);

public sealed record DistributionReasonRequest(string Reason);

public sealed record AppointRequest(
    Guid UserId,
    string TierCode,
    string ContactName,
    string Contact,
    string PayoutChannel,
    string PayoutAccountName,
    string PayoutAccount);

/// <summary>Sets a distributor's tier by hand; <see cref="Pinned"/> (default) keeps promotion rules away from it, false hands it back to them.</summary>
public sealed record SetTierRequest(string TierCode, string Reason, bool Pinned = true);

public sealed record TierRequest(
    string Code,
    string NameZh,
    string NameEn,
    int RateBasisPoints,
    int HoldingDays,
    long MinimumPayoutCents,
    long? PromotionTurnoverCents,
    int SortOrder);

internal static class DistributorRules
{
    public const int MaxText = 128;

    public static bool Text(string? value, int max = MaxText) => !string.IsNullOrWhiteSpace(value) && value.Trim().Length <= max;
}

public sealed class ApplicationRequestValidator : AbstractValidator<ApplicationRequest>
{
    public ApplicationRequestValidator()
    {
        RuleFor(r => r.ContactName).Must(v => DistributorRules.Text(v, 64)).WithMessage("contactName is required, at most 64 characters.");
        RuleFor(r => r.Contact).Must(v => DistributorRules.Text(v)).WithMessage("contact is required, at most 128 characters.");
        RuleFor(r => r.PayoutChannel).Must(c => PaymentAccountChannels.All.Contains(c))
            .WithMessage($"payoutChannel must be one of: {string.Join(", ", PaymentAccountChannels.All)}.");
        RuleFor(r => r.PayoutAccountName).Must(v => DistributorRules.Text(v, 64)).WithMessage("payoutAccountName is required, at most 64 characters.");
        RuleFor(r => r.PayoutAccount).Must(v => DistributorRules.Text(v)).WithMessage("payoutAccount is required, at most 128 characters.");
        RuleFor(r => r.Remark).Must(v => v is null || v.Length <= 1000).WithMessage("remark must be at most 1000 characters.");
    }
}

public sealed class ApproveApplicationRequestValidator : AbstractValidator<ApproveApplicationRequest>
{
    public ApproveApplicationRequestValidator() =>
        RuleFor(r => r.TierCode).Must(c => c is null || DistributorRules.Text(c, 32)).WithMessage("tierCode, if given, must be a tier's code.");
}

public sealed class DistributionReasonRequestValidator : AbstractValidator<DistributionReasonRequest>
{
    public DistributionReasonRequestValidator() =>
        RuleFor(r => r.Reason).Must(v => DistributorRules.Text(v, 500)).WithMessage("reason is required, at most 500 characters.");
}

public sealed class AppointRequestValidator : AbstractValidator<AppointRequest>
{
    public AppointRequestValidator()
    {
        RuleFor(r => r.UserId).NotEqual(Guid.Empty).WithMessage("userId is required.");
        RuleFor(r => r.TierCode).Must(c => DistributorRules.Text(c, 32)).WithMessage("tierCode is required.");
        RuleFor(r => r.ContactName).Must(v => DistributorRules.Text(v, 64)).WithMessage("contactName is required, at most 64 characters.");
        RuleFor(r => r.Contact).Must(v => DistributorRules.Text(v)).WithMessage("contact is required, at most 128 characters.");
        RuleFor(r => r.PayoutChannel).Must(c => PaymentAccountChannels.All.Contains(c))
            .WithMessage($"payoutChannel must be one of: {string.Join(", ", PaymentAccountChannels.All)}.");
        RuleFor(r => r.PayoutAccountName).Must(v => DistributorRules.Text(v, 64)).WithMessage("payoutAccountName is required, at most 64 characters.");
        RuleFor(r => r.PayoutAccount).Must(v => DistributorRules.Text(v)).WithMessage("payoutAccount is required, at most 128 characters.");
    }
}

public sealed class SetTierRequestValidator : AbstractValidator<SetTierRequest>
{
    public SetTierRequestValidator()
    {
        RuleFor(r => r.TierCode).Must(c => DistributorRules.Text(c, 32)).WithMessage("tierCode is required.");
        RuleFor(r => r.Reason).Must(v => DistributorRules.Text(v, 500)).WithMessage("reason is required, at most 500 characters.");
    }
}

public sealed class TierRequestValidator : AbstractValidator<TierRequest>
{
    public const long MaxCents = 1_000_000_000_00;

    public TierRequestValidator()
    {
        RuleFor(r => r.Code).Matches("^[a-z][a-z0-9_]{1,31}$").WithMessage("code must be 2–32 lowercase letters, digits or underscores, starting with a letter.");
        RuleFor(r => r.NameZh).Must(v => DistributorRules.Text(v, 32)).WithMessage("nameZh is required, at most 32 characters.");
        RuleFor(r => r.NameEn).Must(v => DistributorRules.Text(v, 32)).WithMessage("nameEn is required, at most 32 characters.");
        RuleFor(r => r.RateBasisPoints).InclusiveBetween(0, 10_000).WithMessage("rateBasisPoints must be between 0 and 10000 (100 %).");
        RuleFor(r => r.HoldingDays).InclusiveBetween(0, 365).WithMessage("holdingDays must be between 0 and 365.");
        RuleFor(r => r.MinimumPayoutCents).InclusiveBetween(0, MaxCents).WithMessage($"minimumPayoutCents must be between 0 and {MaxCents}.");
        RuleFor(r => r.PromotionTurnoverCents).InclusiveBetween(0, MaxCents).When(r => r.PromotionTurnoverCents is not null)
            .WithMessage($"promotionTurnoverCents must be between 0 and {MaxCents} (leave it out for a tier set by hand only).");
        RuleFor(r => r.SortOrder).InclusiveBetween(-1_000_000, 1_000_000).WithMessage("sortOrder must be between -1000000 and 1000000.");
    }
}
