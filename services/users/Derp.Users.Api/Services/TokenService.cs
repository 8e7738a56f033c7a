using System.Security.Cryptography;
using Derp.ServiceDefaults.Auth;
using Derp.Users.Api.Model;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Derp.Users.Api.Services;

public sealed record IssuedTokens(string AccessToken, string RefreshToken, int ExpiresIn, string TokenType = "Bearer");

/// <remarks>
/// Token lifetimes are checked by the JWT stack against the wall clock, so they are issued on the wall clock too,
/// not on the injectable business clock that jobs and tests move.
/// </remarks>
public sealed class TokenService(IOptions<JwtOptions> options)
{
    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>An access token of the session <paramref name="sessionId"/> (its refresh-token family), at the account's session version.</summary>
    public string CreateAccessToken(User user, Guid sessionId)
    {
        var jwt = options.Value;
        var now = TimeProvider.System.GetUtcNow();
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(jwt.AccessTokenLifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(AuthExtensions.SigningKey(jwt), SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                [AuthExtensions.SubjectClaim] = user.Id.ToString(),
                [AuthExtensions.RoleClaim] = user.Role,
                ["email"] = user.Email,
                ["name"] = user.Username,
                ["jti"] = Guid.NewGuid().ToString("N"),
                [SessionClaims.SessionVersion] = user.SessionVersion,
                [SessionClaims.SessionId] = sessionId.ToString(),
            },
        });
    }

    public int AccessTokenSeconds => (int)options.Value.AccessTokenLifetime.TotalSeconds;

    public TimeSpan RefreshTokenLifetime => options.Value.RefreshTokenLifetime;

    /// <summary>A new opaque refresh token: the value for the client and the hash to store.</summary>
    public static (string Token, string Hash) NewRefreshToken()
    {
        var token = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return (token, Hash(token));
    }

    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)));
}
