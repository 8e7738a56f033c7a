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

public sealed record UserResponse(Guid Id, string Email, string Username, string Role, bool EmailVerified, string Language,
    DateTimeOffset CreatedAt, DateTimeOffset? LastLoginAt, DateTimeOffset? LockedUntil)
{
    public static UserResponse From(User u) =>
        new(u.Id, u.Email, u.Username, u.Role, u.EmailVerified, u.Language, u.CreatedAt, u.LastLoginAt, u.LockedUntil);
}

public sealed record AuditEntryResponse(long Id, Guid? UserId, Guid? ActorId, string Action, string? Detail, string? Ip, string? UserAgent, DateTimeOffset CreatedAt);

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
