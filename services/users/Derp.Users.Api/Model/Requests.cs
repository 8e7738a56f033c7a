using Derp.ServiceDefaults.Auth;
using FluentValidation;

namespace Derp.Users.Api.Model;

public sealed record RegisterRequest(string Email, string Username, string Password, string? Language = null);
public sealed record VerifyEmailRequest(string Email, string Code);
public sealed record ResendVerificationRequest(string Email);
public sealed record LoginRequest(string Email, string Password);
public sealed record RefreshRequest(string RefreshToken);
public sealed record LogoutRequest(string RefreshToken);
public sealed record ChangePasswordRequest(string CurrentPassword, string NewPassword);
public sealed record ChangeRoleRequest(string Role);
public sealed record ForgotPasswordRequest(string Email);
public sealed record ResetPasswordRequest(string Email, string Code, string NewPassword);
public sealed record ChangeLanguageRequest(string Language);

public sealed class ForgotPasswordRequestValidator : AbstractValidator<ForgotPasswordRequest>
{
    public ForgotPasswordRequestValidator() => RuleFor(r => r.Email).ValidEmail();
}

public sealed class ResetPasswordRequestValidator : AbstractValidator<ResetPasswordRequest>
{
    public ResetPasswordRequestValidator()
    {
        RuleFor(r => r.Email).ValidEmail();
        RuleFor(r => r.Code).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("Code is required.")
            .Matches("^[0-9]{6}$").WithMessage("Code must be 6 digits.");
        RuleFor(r => r.NewPassword).StrongPassword();
    }
}

public sealed class ChangeLanguageRequestValidator : AbstractValidator<ChangeLanguageRequest>
{
    public ChangeLanguageRequestValidator() =>
        RuleFor(r => r.Language).Must(l => l is "zh-CN" or "en").WithMessage("Language must be zh-CN or en.");
}

public sealed record UserResponse(Guid Id, string Email, string Username, string Role, bool EmailVerified, string Language,
    DateTimeOffset CreatedAt, DateTimeOffset? LastLoginAt, DateTimeOffset? LockedUntil, string Status, DateTimeOffset? DeregisteredAt)
{
    public static UserResponse From(User u) =>
        new(u.Id, u.Email, u.Username, u.Role, u.EmailVerified, u.Language, u.CreatedAt, u.LastLoginAt, u.LockedUntil, u.Status, u.DeregisteredAt);
}

/// <param name="UserEmail">The target account's email (with <paramref name="Username"/>), so the portal shows people, not ids.</param>
/// <param name="Security">A security event (failed or blocked sign-in, stolen token, role or password change): highlighted.</param>
public sealed record AuditEntryResponse(long Id, Guid? UserId, Guid? ActorId, string Action, string? Detail, string? Ip, string? UserAgent, DateTimeOffset CreatedAt,
    string? UserEmail = null, string? Username = null, string? ActorEmail = null, string? ActorUsername = null, bool Security = false);

/// <summary>What the portal needs to show a person instead of an id.</summary>
public sealed record PersonResponse(Guid Id, string Email, string Username, string Role, string Status);

internal static class Rules
{
    public static IRuleBuilderOptions<T, string> ValidEmail<T>(this IRuleBuilderInitial<T, string> rule) =>
        rule.Cascade(CascadeMode.Stop).NotEmpty().WithMessage("Email is required.")
            .MaximumLength(254).WithMessage("Email must be at most 254 characters.")
            .Matches(@"^[^@\s]+@[^@\s]+\.[^@\s]+$").WithMessage("Email is not a valid address.");

    public static IRuleBuilderOptions<T, string> StrongPassword<T>(this IRuleBuilderInitial<T, string> rule) =>
        rule.Cascade(CascadeMode.Stop).NotEmpty().WithMessage("Password is required.")
            .MinimumLength(8).WithMessage("Password must be at least 8 characters.")
            .MaximumLength(128).WithMessage("Password must be at most 128 characters.")
            .Must(p => p.Any(char.IsLetter) && p.Any(char.IsDigit)).WithMessage("Password must contain letters and digits.");
}

public sealed class RegisterRequestValidator : AbstractValidator<RegisterRequest>
{
    public RegisterRequestValidator()
    {
        RuleFor(r => r.Email).ValidEmail();
        RuleFor(r => r.Username).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("Username is required.")
            .Length(3, 32).WithMessage("Username must be 3 to 32 characters.")
            .Matches(@"^[\p{L}\p{N}_.-]+$").WithMessage("Username may contain letters, digits, '_', '.' and '-'.");
        RuleFor(r => r.Password).StrongPassword();
        RuleFor(r => r.Language).Must(l => l is null or "zh-CN" or "en").WithMessage("Language must be zh-CN or en.");
    }
}

public sealed class VerifyEmailRequestValidator : AbstractValidator<VerifyEmailRequest>
{
    public VerifyEmailRequestValidator()
    {
        RuleFor(r => r.Email).ValidEmail();
        RuleFor(r => r.Code).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("Code is required.")
            .Matches("^[0-9]{6}$").WithMessage("Code must be 6 digits.");
    }
}

public sealed class ResendVerificationRequestValidator : AbstractValidator<ResendVerificationRequest>
{
    public ResendVerificationRequestValidator() => RuleFor(r => r.Email).ValidEmail();
}

public sealed class LoginRequestValidator : AbstractValidator<LoginRequest>
{
    public LoginRequestValidator()
    {
        RuleFor(r => r.Email).ValidEmail();
        RuleFor(r => r.Password).NotEmpty().WithMessage("Password is required.").MaximumLength(128);
    }
}

public sealed class RefreshRequestValidator : AbstractValidator<RefreshRequest>
{
    public RefreshRequestValidator() => RuleFor(r => r.RefreshToken).NotEmpty().MaximumLength(200);
}

public sealed class LogoutRequestValidator : AbstractValidator<LogoutRequest>
{
    public LogoutRequestValidator() => RuleFor(r => r.RefreshToken).NotEmpty().MaximumLength(200);
}

public sealed class ChangePasswordRequestValidator : AbstractValidator<ChangePasswordRequest>
{
    public ChangePasswordRequestValidator()
    {
        RuleFor(r => r.CurrentPassword).NotEmpty().MaximumLength(128);
        RuleFor(r => r.NewPassword).StrongPassword()
            .NotEqual(r => r.CurrentPassword).WithMessage("The new password must differ from the current one.");
    }
}

public sealed class ChangeRoleRequestValidator : AbstractValidator<ChangeRoleRequest>
{
    public ChangeRoleRequestValidator() =>
        RuleFor(r => r.Role).Must(Roles.IsValid).WithMessage($"Role must be one of: {string.Join(", ", Roles.All)}.");
}

public sealed record ExtendRentalRequest(DateTimeOffset Until);
public sealed record RegisterDeviceRequest(string Name, string MachineCode, string NodeKey);
public sealed record DeregisterRequest(string Password);

public sealed record RentalPeriodResponse(Guid Id, string Source, Guid? SerialId, Guid? PlanId, int? TrafficQuotaGb, DateTimeOffset StartsAt,
    DateTimeOffset EndsAt, DateTimeOffset CreatedAt, Guid? OrderId = null);

public sealed record RentalResponse(Guid Id, Guid UserId, string Status, Guid? PlanId, DateTimeOffset StartedAt, DateTimeOffset ExpiresAt, int DaysLeft,
    int? TrafficQuotaGb, long TrafficUsedBytes, string ServiceState, int? PolicyVersion, IReadOnlyList<RentalPeriodResponse> History)
{
    public static RentalResponse From(Rental r, IEnumerable<RentalPeriod> periods, DateTimeOffset now) => new(r.Id, r.UserId, r.Status, r.PlanId,
        r.StartedAt, r.ExpiresAt, Math.Max(0, (int)Math.Ceiling((r.ExpiresAt - now).TotalDays)), r.TrafficQuotaGb, r.TrafficUsedBytes, r.ServiceState,
        r.PolicyVersion,
        periods.OrderByDescending(p => p.StartsAt).Select(p => new RentalPeriodResponse(p.Id, p.Source, p.SerialId, p.PlanId, p.TrafficQuotaGb,
            p.StartsAt, p.EndsAt, p.CreatedAt, p.OrderId)).ToList());
}

public sealed record RentalListItem(Guid Id, Guid UserId, string Email, string Username, string Status, DateTimeOffset ExpiresAt, int? TrafficQuotaGb,
    long TrafficUsedBytes);

public sealed record DeviceResponse(Guid Id, string Name, string MachineCode, string NodeKey, DateTimeOffset CreatedAt)
{
    public static DeviceResponse From(Device d) => new(d.Id, d.Name, d.MachineCode, d.NodeKey, d.CreatedAt);
}

public sealed record EmailLogResponse(long Id, Guid? UserId, string Recipient, string Template, string Subject, string Status, int Attempts,
    string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

public sealed class RegisterDeviceRequestValidator : AbstractValidator<RegisterDeviceRequest>
{
    public RegisterDeviceRequestValidator()
    {
        RuleFor(r => r.Name).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("Name is required.").MaximumLength(64)
            // A name is shown to people: no control character, no bidirectional override that makes it read as another.
            .Must(n => !Derp.ServiceDefaults.Http.InputRules.HasControlOrBidiCharacters(n))
            .WithMessage("Name must not contain control characters or bidirectional overrides.");
        RuleFor(r => r.MachineCode).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("Machine code is required.").MaximumLength(128);
        RuleFor(r => r.NodeKey).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("Node key is required.")
            .Must(k => System.Text.RegularExpressions.Regex.IsMatch(k.Trim(), "^nodekey:[0-9a-fA-F]{64}$"))
            .WithMessage("A Tailscale node key is 'nodekey:' followed by 64 hex digits (tailscale status --json: Self.PublicKey).");
    }
}

public sealed class DeregisterRequestValidator : AbstractValidator<DeregisterRequest>
{
    public DeregisterRequestValidator() => RuleFor(r => r.Password).NotEmpty().WithMessage("Confirm with your password.").MaximumLength(128);
}
