using Derp.Contracts.Users;
using Derp.Users.Api.Model;

namespace Derp.Users.Api.Services;

/// <summary>
/// The audit actions an operator must notice: failed and blocked sign-ins, a stolen refresh token, a role change, and
/// anything done to a password (every <c>password_*</c> action, so one added later is flagged without a change here).
/// </summary>
public static class SecurityEvents
{
    private static readonly HashSet<string> Named =
        [AuditActions.LoginFailed, AuditActions.AccountLocked, AuditActions.RefreshTokenReused, AuditActions.RoleChanged];

    public static bool IsSecurityEvent(string action) =>
        Named.Contains(action) || action.StartsWith("password_", StringComparison.Ordinal);

    /// <summary>The security actions of the vocabulary, for filtering in the database.</summary>
    public static readonly IReadOnlyList<string> Actions = AuditActions.All.Where(IsSecurityEvent).ToList();
}

/// <summary>A part of an email or username typed into a filter, as a case-insensitive LIKE pattern on the normalized columns.</summary>
public static class PeopleSearch
{
    public static string? Pattern(string? typed) =>
        string.IsNullOrWhiteSpace(typed) ? null : "%" + EscapeLike(User.Normalize(typed)) + "%";

    public static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
