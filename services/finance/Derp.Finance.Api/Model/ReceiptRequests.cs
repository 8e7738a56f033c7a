using Derp.Contracts.Finance;
using FluentValidation;

namespace Derp.Finance.Api.Model;

public sealed record RecordReceiptRequest(string Channel, long AmountCents, string Reference, DateTimeOffset ReceivedAt, string? Memo = null,
    string? PayerName = null, string? Remark = null);

public sealed record MatchReceiptRequest(Guid OrderId);

public sealed record CreditReceiptRequest(Guid UserId, string? Remark = null);

public sealed class RecordReceiptRequestValidator : AbstractValidator<RecordReceiptRequest>
{
    public RecordReceiptRequestValidator()
    {
        RuleFor(r => r.Channel).Must(c => PaymentChannels.Manual.Contains(c))
            .WithMessage($"channel must be one of: {string.Join(", ", PaymentChannels.Manual)}.");
        RuleFor(r => r.AmountCents).InclusiveBetween(1, ConfirmPaymentRequestValidator.MaxManualAmountCents)
            .WithMessage($"amountCents must be between 1 and {ConfirmPaymentRequestValidator.MaxManualAmountCents}.");
        RuleFor(r => r.Reference).Must(x => !string.IsNullOrWhiteSpace(x) && x.Trim().Length <= 128)
            .WithMessage("reference (the transfer's number) is required, at most 128 characters.");
        RuleFor(r => r.ReceivedAt).Must(t => t != default).WithMessage("receivedAt is required.");
        RuleFor(r => r.Memo).MaximumLength(32);
        RuleFor(r => r.PayerName).MaximumLength(64);
        RuleFor(r => r.Remark).MaximumLength(500);
    }
}

public sealed class MatchReceiptRequestValidator : AbstractValidator<MatchReceiptRequest>
{
    public MatchReceiptRequestValidator() => RuleFor(r => r.OrderId).NotEmpty().WithMessage("orderId is required.");
}

public sealed class CreditReceiptRequestValidator : AbstractValidator<CreditReceiptRequest>
{
    public CreditReceiptRequestValidator()
    {
        RuleFor(r => r.UserId).NotEmpty().WithMessage("userId is required.");
        RuleFor(r => r.Remark).MaximumLength(500);
    }
}
