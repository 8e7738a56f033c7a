using System.ComponentModel.DataAnnotations;

namespace Derp.ServiceDefaults.Auth;

/// <summary>One issuer and signing key for the whole platform: the users service signs, everyone else validates.</summary>
public sealed class JwtOptions
{
    public const string Section = "Jwt";

    [Required] public string Issuer { get; set; } = "derp";
    [Required] public string Audience { get; set; } = "derp";

    /// <summary>HMAC-SHA256 key, at least 32 bytes. Never logged.</summary>
    [Required, MinLength(32)] public string SigningKey { get; set; } = "";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);
}
