using System.Text.Json.Serialization;
using Derp.Contracts.Finance;
using Derp.ServiceDefaults.Audit;
using FluentValidation;

namespace Derp.Finance.Api.Model;

public sealed record CreateOrderRequest(Guid PlanId);

/// <summary>A receiving account as the order snapshotted it (no QR bytes: the page fetches the image by its url).</summary>
public sealed record InstructionAccount(string Channel, string AccountName, string Account, string? QrUrl);

public sealed record OrderInstructions(string Memo, long AmountDueCents, DateTimeOffset ExpiresAt, IReadOnlyList<InstructionAccount> Accounts);

public sealed record OrderResponse(Guid Id, string Number, Guid UserId, string? UserEmail, Guid PlanId, string PlanNameZh, string PlanNameEn,
    int DurationDays, int TrafficQuotaGb, string Type, string Status, long PriceCents, long PaidCents, string Currency, string Memo,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? PaidAt, DateTimeOffset? FulfilledAt, DateTimeOffset? CancelledAt,
    DateTimeOffset? RefundedAt, long RefundedCents, IReadOnlyList<string> Marks, string? Remark)
{
    /// <summary>Detail views only.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PaymentResponse>? Payments { get; init; }

    /// <summary>Detail views only.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OrderInstructions? Instructions { get; init; }

    /// <summary>The admin's detail view only.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AuditResponse>? Audit { get; init; }

    public static OrderResponse From(Order o, string? userEmail = null) => new(o.Id, o.Number, o.UserId, userEmail, o.PlanId, o.PlanNameZh,
        o.PlanNameEn, o.DurationDays, o.TrafficQuotaGb, o.Type, o.Status, o.PriceCents, o.PaidCents, o.Currency, o.Memo, o.CreatedAt,
        o.ExpiresAt, o.PaidAt, o.FulfilledAt, o.CancelledAt, o.RefundedAt, o.RefundedCents, o.Marks, o.Remark);
}

/// <summary>A payment, also what the admin's receipts inbox lists.</summary>
public sealed record PaymentResponse(Guid Id, string Channel, string Reference, long AmountCents, long AppliedCents, string Currency,
    DateTimeOffset ReceivedAt, string Status, Guid? OrderId, Guid? CreditedUserId, string? Memo, string? PayerName, string? Remark,
    Guid? RecordedBy, DateTimeOffset CreatedAt)
{
    public static PaymentResponse From(Payment p) => new(p.Id, p.Channel, p.Reference, p.AmountCents, p.AppliedCents, p.Currency, p.ReceivedAt,
        p.Status, p.OrderId, p.CreditedUserId, p.Memo, p.PayerName, p.Remark, p.RecordedBy, p.CreatedAt);
}

public sealed record AuditResponse(long Id, Guid? ActorId, string? ActorIp, string Action, string TargetType, string TargetId,
    string? DetailsJson, DateTimeOffset CreatedAt)
{
    public static AuditResponse From(AuditEntry a) => new(a.Id, a.ActorId, a.ActorIp, a.Action, a.TargetType, a.TargetId, a.DetailsJson, a.CreatedAt);
}

/// <summary>What confirming or recording money answers: the payment, the order it reached, and whether it was already known.</summary>
public sealed record PaymentResult(PaymentResponse Payment, OrderResponse? Order, bool Duplicate);

public sealed record ConfirmPaymentRequest(string Channel, long AmountCents, string Reference, DateTimeOffset ReceivedAt, string? Remark = null);

public sealed record ReasonRequest(string? Reason = null);

public sealed record MarkRequest(string Mark, string? Remark = null);

public sealed record RefundRequest(string Method, long? AmountCents = null, string? Reason = null);

public sealed class ConfirmPaymentRequestValidator : AbstractValidator<ConfirmPaymentRequest>
{
    /// <summary>One payment an admin records by hand: up to a million yuan.</summary>
    public const long MaxManualAmountCents = 100_000_000;

    public ConfirmPaymentRequestValidator()
    {
        RuleFor(r => r.Channel).Must(c => PaymentChannels.Manual.Contains(c))
            .WithMessage($"channel must be one of: {string.Join(", ", PaymentChannels.Manual)}.");
        RuleFor(r => r.AmountCents).InclusiveBetween(1, MaxManualAmountCents).WithMessage($"amountCents must be between 1 and {MaxManualAmountCents}.");
        RuleFor(r => r.Reference).Must(x => !string.IsNullOrWhiteSpace(x) && x.Trim().Length <= 128)
            .WithMessage("reference (the transfer's number) is required, at most 128 characters.");
        RuleFor(r => r.ReceivedAt).Must(t => t != default).WithMessage("receivedAt is required.");
        RuleFor(r => r.Remark).MaximumLength(500);
    }
}

public sealed class ReasonRequestValidator : AbstractValidator<ReasonRequest>
{
    public ReasonRequestValidator() => RuleFor(r => r.Reason).MaximumLength(500);
}

public sealed class MarkRequestValidator : AbstractValidator<MarkRequest>
{
    public MarkRequestValidator()
    {
        RuleFor(r => r.Mark).Must(m => OrderMarks.All.Contains(m)).WithMessage($"mark must be one of: {string.Join(", ", OrderMarks.All)}.");
        RuleFor(r => r.Remark).MaximumLength(500);
    }
}

public sealed class RefundRequestValidator : AbstractValidator<RefundRequest>
{
    public RefundRequestValidator()
    {
        RuleFor(r => r.Method).Must(m => RefundMethods.All.Contains(m)).WithMessage($"method must be one of: {string.Join(", ", RefundMethods.All)}.");
        RuleFor(r => r.AmountCents).GreaterThan(0).When(r => r.AmountCents is not null).WithMessage("amountCents must be positive.");
        RuleFor(r => r.Reason).Must(x => !string.IsNullOrWhiteSpace(x)).WithMessage("A refund needs a reason.").MaximumLength(500);
    }
}

public sealed class CreateOrderRequestValidator : AbstractValidator<CreateOrderRequest>
{
    public CreateOrderRequestValidator() => RuleFor(r => r.PlanId).NotEmpty().WithMessage("planId is required.");
}
