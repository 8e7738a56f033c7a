namespace Derp.Users.Api.Services;

public sealed class UsersOptions
{
    public const string Section = "Users";

    public TimeSpan VerificationCodeLifetime { get; set; } = TimeSpan.FromMinutes(15);
    public int VerificationCodeMaxAttempts { get; set; } = 5;

    /// <summary>Requirements §1.1: at most 5 verification mails per address per 10 minutes.</summary>
    public int VerificationMailsPerWindow { get; set; } = 5;

    public TimeSpan VerificationMailWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Forgot password: a code's life and wrong tries, and reset mails per IP (per address it is the verification limit).</summary>
    public TimeSpan PasswordResetCodeLifetime { get; set; } = TimeSpan.FromMinutes(15);
    public int PasswordResetMaxAttempts { get; set; } = 5;
    public int PasswordResetMailsPerIpPerWindow { get; set; } = 20;
    public int MaxFailedLogins { get; set; } = 5;
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
    public int LoginAttemptsPerIpPerWindow { get; set; } = 30;
    public TimeSpan LoginAttemptWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Devices a renter may register (their node keys are what the relays admit).</summary>
    public int MaxDevicesPerRenter { get; set; } = 5;
}

/// <summary>The first superadmin, from configuration (DERP_ADMIN_EMAIL / DERP_ADMIN_PASSWORD for `make up`).</summary>
public sealed class AdminSeedOptions
{
    public const string Section = "Admin";

    public string? Email { get; set; }
    public string? Password { get; set; }
    public string Username { get; set; } = "admin";
}
