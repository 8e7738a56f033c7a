using System.Security.Cryptography;
using System.Text;
using Derp.Distribution.Api.Infrastructure;
using Derp.Distribution.Api.Model;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Redis;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Derp.Distribution.Api.Services;

public sealed class StorefrontOptions
{
    public const string Section = "Distribution:Storefront";

    /// <summary>Failed API key attempts allowed per client address per window before 429.</summary>
    public int KeyFailureLimit { get; set; } = 10;
    public TimeSpan KeyFailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// api cards may call private, loopback and link-local addresses only when this is true (tests, a closed
    /// installation); otherwise such targets are refused (SSRF: a key holder must not reach the cluster's insides).
    /// </summary>
    public bool AllowPrivateApiTargets { get; set; }

    /// <summary>Most items one order may ask for.</summary>
    public int MaxQuantity { get; set; } = 100;
}

/// <summary>The result of checking a bot's API key.</summary>
public abstract record KeyCheck
{
    public sealed record Valid(StorefrontApiKey Key) : KeyCheck;
    public sealed record Invalid : KeyCheck;
    public sealed record Throttled(TimeSpan RetryAfter) : KeyCheck;
}

/// <summary>
/// API keys for shop bots (ADR-023): "sfk_{prefix}_{secret}". Only the prefix (for lookup) and the SHA-256 of the whole
/// key are stored, so a database leak gives no usable key. Failed attempts are counted per client address.
/// </summary>
public sealed class StorefrontKeys(DistributionContext db, IRateLimiter rateLimiter, IOptions<StorefrontOptions> options, TimeProvider clock)
{
    private const string Scheme = "sfk";

    public static (string Key, string Prefix, string Hash) NewKey()
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)); // hex: no '_' to confuse the parts
        var key = $"{Scheme}_{prefix}_{secret}";
        return (key, prefix, Hash(key));
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The key from <c>Authorization: Bearer</c> or <c>X-Api-Key</c>.</summary>
    public static string? Presented(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return header["Bearer ".Length..].Trim();
        var apiKey = request.Headers["X-Api-Key"].ToString().Trim();
        return apiKey.Length > 0 ? apiKey : null;
    }

    public async Task<KeyCheck> CheckAsync(HttpContext http)
    {
        var limiterKey = "storefront-key-failures:" + http.ClientIp();
        var limit = options.Value.KeyFailureLimit;
        var state = await rateLimiter.PeekAsync(limiterKey, limit);
        if (!state.Allowed)
            return new KeyCheck.Throttled(state.RetryAfter);

        var key = await FindAsync(Presented(http.Request), http.RequestAborted);
        if (key is not null)
            return new KeyCheck.Valid(key);
        var hit = await rateLimiter.HitAsync(limiterKey, limit, options.Value.KeyFailureWindow);
        return hit.Allowed ? new KeyCheck.Invalid() : new KeyCheck.Throttled(hit.RetryAfter);
    }

    private async Task<StorefrontApiKey?> FindAsync(string? presented, CancellationToken cancellationToken)
    {
        if (presented is null || presented.Length > 200)
            return null;
        var parts = presented.Split('_');
        if (parts.Length != 3 || parts[0] != Scheme)
            return null;
        var prefix = parts[1];
        var key = await db.StorefrontApiKeys.SingleOrDefaultAsync(k => k.Prefix == prefix && k.RevokedAt == null, cancellationToken);
        if (key is null)
            return null;
        var expected = Convert.FromHexString(key.Hash);
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
            return null;
        // Last use is informative: a minute's precision is enough and spares a write per call.
        var now = clock.GetUtcNow();
        if (key.LastUsedAt is null || now - key.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            await db.StorefrontApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
            key.LastUsedAt = now;
        }
        return key;
    }
}
