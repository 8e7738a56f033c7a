using FluentValidation;

namespace Derp.Finance.Api.Model;

public sealed record SettingsRequest(int OrderTimeoutMinutes, bool PublicDonations);

public sealed record PaymentAccountRequest(string AccountName, string Account, bool Enabled, string? QrImageBase64 = null, string? QrContentType = null);

public sealed record PaymentAccountResponse(string Channel, string AccountName, string Account, bool HasQr, bool Enabled, DateTimeOffset UpdatedAt);

public sealed record SettingsResponse(int OrderTimeoutMinutes, bool PublicDonations, IReadOnlyList<PaymentAccountResponse> Accounts);

public sealed class SettingsRequestValidator : AbstractValidator<SettingsRequest>
{
    public SettingsRequestValidator() =>
        RuleFor(r => r.OrderTimeoutMinutes).InclusiveBetween(5, 1440).WithMessage("orderTimeoutMinutes must be between 5 and 1440.");
}

public sealed class PaymentAccountRequestValidator : AbstractValidator<PaymentAccountRequest>
{
    public PaymentAccountRequestValidator()
    {
        RuleFor(r => r.AccountName).Must(n => !string.IsNullOrWhiteSpace(n) && n.Trim().Length <= 64).WithMessage("accountName is required, at most 64 characters.");
        RuleFor(r => r.Account).Must(n => !string.IsNullOrWhiteSpace(n) && n.Trim().Length <= 128).WithMessage("account is required, at most 128 characters.");
    }
}
