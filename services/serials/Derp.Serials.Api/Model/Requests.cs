using Derp.Contracts.Serials;
using Derp.Serials.Api.Services;
using Derp.ServiceDefaults.Http;
using FluentValidation;

namespace Derp.Serials.Api.Model;

public sealed record CreateBatchRequest(
    string Prefix,
    int Count,
    string Kind,
    int? CodeLength = null,
    int? DurationDays = null,
    int? DurationHours = null,
    int? TrafficQuotaGb = null,
    long? ValueCents = null,
    Guid? PlanId = null,
    int? ValidDays = null,
    string? BindingPolicy = null,
    string? DataKey = null,
    Guid? DistributorId = null,
    string? Remark = null);

public sealed record CreateBatchResponse(Guid BatchId, int Count, string Prefix, string Kind);

public sealed record UpdateSerialRequest(string? Status = null, string? Remark = null, DateTimeOffset? ValidUntil = null);

/// <param name="DonorName">Donation serials: the name shown on the thank-you list (unless <paramref name="Anonymous"/>).</param>
/// <param name="Message">Donation serials: the donor's words.</param>
public sealed record RedeemRequest(string Code, string? DonorName = null, string? Message = null, bool Anonymous = false);

/// <param name="RelatedId">Balance and donation serials: the finance record the use created (the ledger entry, the donation).</param>
public sealed record RedeemResponse(Guid SerialId, string FullCode, string Kind, string UseType, Guid? PlanId, int? DurationDays,
    int? TrafficQuotaGb, long? ValueCents, DateTimeOffset RedeemedAt, Guid? RelatedId);

public sealed record SerialResponse(Guid Id, string FullCode, string Prefix, string Kind, string Status, Guid BatchId, Guid? DistributorId,
    Guid? PlanId, int? DurationDays, int? DurationHours, int? TrafficQuotaGb, long? ValueCents, string BindingPolicy, string? Remark,
    DateTimeOffset CreatedAt, DateTimeOffset ValidUntil, DateTimeOffset? FirstUsedAt, DateTimeOffset? ExpiresAt, Guid? UserId,
    ClientEnvironmentResponse? Client)
{
    public static SerialResponse From(Serial s) => new(s.Id, s.FullCode, s.Prefix, s.Kind, s.Status, s.BatchId, s.DistributorId, s.PlanId,
        s.DurationDays, s.DurationHours, s.TrafficQuotaGb, s.ValueCents, s.BindingPolicy, s.Remark, s.CreatedAt, s.ValidUntil,
        s.FirstUsedAt, s.ExpiresAt, s.UserId,
        s.Client is null ? null : new ClientEnvironmentResponse(s.Client.MachineCode, s.Client.Hardware, s.Client.Ip, s.Client.Function, s.Client.BoundAt, s.Client.LastRequestAt));
}

public sealed record ClientEnvironmentResponse(string MachineCode, string? Hardware, string? Ip, string? Function, DateTimeOffset BoundAt, DateTimeOffset LastRequestAt);

public sealed record SerialDetailResponse(SerialResponse Serial, IReadOnlyList<UseLogResponse> UseLog);

/// <param name="FullCode">The serial's card key (seed 004: the card key of a donation); null for batch rows and deleted serials.</param>
public sealed record UseLogResponse(long Id, Guid? SerialId, Guid? BatchId, Guid? UserId, string Action, string? UseType, string? RelatedId,
    string? RelatedType, string? Ip, string? UserAgent, DateTimeOffset? ExpiresAt, string? Remark, DateTimeOffset CreatedAt, string? FullCode = null)
{
    public static UseLogResponse From(SerialUseLog l, string? fullCode = null) =>
        new(l.Id, l.SerialId, l.BatchId, l.UserId, l.Action, l.UseType, l.RelatedId, l.RelatedType, l.Ip, l.UserAgent, l.ExpiresAt, l.Remark, l.CreatedAt, fullCode);
}

/// <summary>Seed 004's third query: per use type, how many use-log rows and how many distinct serials.</summary>
public sealed record UseTypeStatsResponse(string UseType, int Count, int DistinctSerials);

public sealed record BindingMismatchResponse(long Id, Guid SerialId, string FullCode, string Policy, string RequestJson, string? BoundMachineCode,
    string? BoundHardware, string? BoundIp, string? Ip, string? UserAgent, DateTimeOffset CreatedAt);

public sealed class CreateBatchRequestValidator : AbstractValidator<CreateBatchRequest>
{
    public const int MaxCount = 100_000;

    public CreateBatchRequestValidator()
    {
        RuleFor(r => r.Prefix).Must(SerialCodes.IsValidPrefix).WithMessage("Prefix must be 1 to 16 letters or digits.");
        RuleFor(r => r.Count).InclusiveBetween(1, MaxCount).WithMessage($"Count must be between 1 and {MaxCount}.");
        RuleFor(r => r.Kind).Must(k => SerialKinds.All.Contains(k)).WithMessage($"Kind must be one of: {string.Join(", ", SerialKinds.All)}.");
        RuleFor(r => r.CodeLength).InclusiveBetween(SerialCodes.MinLength, SerialCodes.MaxLength).When(r => r.CodeLength is not null)
            .WithMessage($"Code length must be between {SerialCodes.MinLength} and {SerialCodes.MaxLength}.");
        RuleFor(r => r.DurationDays).InclusiveBetween(1, 3650).When(r => r.DurationDays is not null);
        RuleFor(r => r.DurationHours).InclusiveBetween(1, 24 * 3650).When(r => r.DurationHours is not null);
        RuleFor(r => r).Must(r => r.DurationDays is null || r.DurationHours is null)
            .WithName("durationDays").WithMessage("Give durationDays or durationHours, not both.");
        RuleFor(r => r.DurationDays).NotNull().When(r => r.Kind == SerialKinds.Rental && r.PlanId is null)
            .WithMessage("A rental serial needs durationDays (or a planId).");
        // A plan's batch takes duration, quota and face value from the plan; a second source of them could only disagree.
        RuleFor(r => r.PlanId).Null().When(r => r.Kind != SerialKinds.Rental).WithMessage("Only rental batches are made from a plan.");
        RuleFor(r => r.DurationDays).Null().When(r => r.PlanId is not null).WithMessage("durationDays comes from the plan; leave it out.");
        RuleFor(r => r.DurationHours).Null().When(r => r.PlanId is not null).WithMessage("durationHours comes from the plan; leave it out.");
        RuleFor(r => r.TrafficQuotaGb).Null().When(r => r.PlanId is not null).WithMessage("trafficQuotaGb comes from the plan; leave it out.");
        RuleFor(r => r.ValueCents).Null().When(r => r.PlanId is not null).WithMessage("valueCents comes from the plan's price; leave it out.");
        RuleFor(r => r).Must(r => r.DurationDays is not null || r.DurationHours is not null).When(r => r.Kind == SerialKinds.Licence)
            .WithName("durationHours").WithMessage("A licence needs durationDays or durationHours (for example 3 hours after first use).");
        RuleFor(r => r.TrafficQuotaGb).InclusiveBetween(1, 1_000_000).When(r => r.TrafficQuotaGb is not null);
        RuleFor(r => r.ValueCents).NotNull().InclusiveBetween(1, 100_000_000).When(r => r.Kind is SerialKinds.Balance or SerialKinds.Donation)
            .WithMessage("Balance and donation serials need valueCents between 1 and 100000000.");
        RuleFor(r => r.ValueCents).InclusiveBetween(0, 100_000_000).When(r => r.ValueCents is not null && r.Kind is not (SerialKinds.Balance or SerialKinds.Donation))
            .WithMessage("valueCents must be between 0 and 100000000.");
        RuleFor(r => r.ValidDays).InclusiveBetween(1, 3650).When(r => r.ValidDays is not null);
        RuleFor(r => r.BindingPolicy).Must(p => p is null || BindingPolicies.All.Contains(p))
            .WithMessage($"Binding policy must be one of: {string.Join(", ", BindingPolicies.All)}.");
        RuleFor(r => r.DataKey).MaximumLength(1000).Must((r, key) => key is null || r.Kind == SerialKinds.Licence)
            .WithMessage("Only licence batches carry a data key.");
        RuleFor(r => r.Remark).MaximumLength(500);
    }
}

public sealed class UpdateSerialRequestValidator : AbstractValidator<UpdateSerialRequest>
{
    public UpdateSerialRequestValidator()
    {
        RuleFor(r => r.Status).Must(s => s is null or SerialStatuses.Disabled or "enabled")
            .WithMessage("Status may be 'disabled' or 'enabled'.");
        RuleFor(r => r.Remark).MaximumLength(500);
        RuleFor(r => r).Must(r => r.Status is not null || r.Remark is not null || r.ValidUntil is not null)
            .WithName("status").WithMessage("Nothing to change.");
    }
}

public sealed class RedeemRequestValidator : AbstractValidator<RedeemRequest>
{
    public const int MaxDonorNameLength = 64;
    public const int MaxMessageLength = 500;

    public RedeemRequestValidator()
    {
        RuleFor(r => r.Code).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("Code is required.")
            .Must(c => c.Trim().Length is > 0 and <= 64).WithMessage("Code must be at most 64 characters.");
        // The donor's name is shown to other people (the public thank-you list): nothing that could make it read as something else.
        RuleFor(r => r.DonorName).Cascade(CascadeMode.Stop)
            .MaximumLength(MaxDonorNameLength).WithMessage($"Donor name must be at most {MaxDonorNameLength} characters.")
            .Must(n => n is null || !InputRules.HasControlOrBidiCharacters(n)).WithMessage("Donor name contains characters that are not allowed.");
        RuleFor(r => r.Message).MaximumLength(MaxMessageLength).WithMessage($"Message must be at most {MaxMessageLength} characters.");
    }
}
