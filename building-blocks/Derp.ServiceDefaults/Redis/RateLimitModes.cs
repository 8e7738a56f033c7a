namespace Derp.ServiceDefaults.Redis;

/// <summary>
/// Which rate limits of a service are hot paths (ADR-029). Every key is strict unless its prefix is declared here:
/// strict keys (login, verification mails, redemption failures, storefront keys: anything that guards a guessable
/// credential) ask Redis on every hit and, while Redis is away, count in the replica's memory (ADR-012), never
/// failing open. Local-first keys (licence validation) are decided in memory, reconciled with Redis in the background,
/// and fail open with a metric while Redis is away.
/// </summary>
public sealed class RateLimitModes
{
    private readonly List<string> _localFirstPrefixes = [];

    /// <summary>Keys starting with <paramref name="keyPrefix"/> use <see cref="LocalFirstRateLimiter"/>.</summary>
    public RateLimitModes LocalFirst(string keyPrefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        _localFirstPrefixes.Add(keyPrefix);
        return this;
    }

    public bool IsLocalFirst(string key)
    {
        foreach (var prefix in _localFirstPrefixes)
            if (key.StartsWith(prefix, StringComparison.Ordinal))
                return true;
        return false;
    }
}

/// <summary>The <see cref="IRateLimiter"/> callers get: each key goes to the limiter its mode names.</summary>
public sealed class ModalRateLimiter(RateLimitModes modes, RedisRateLimiter strict, LocalFirstRateLimiter localFirst) : IRateLimiter
{
    public Task<RateLimitDecision> HitAsync(string key, int limit, TimeSpan window) => For(key).HitAsync(key, limit, window);

    public Task<RateLimitDecision> PeekAsync(string key, int limit) => For(key).PeekAsync(key, limit);

    public Task ResetAsync(string key) => For(key).ResetAsync(key);

    private IRateLimiter For(string key) => modes.IsLocalFirst(key) ? localFirst : strict;
}
