using System.Collections.Concurrent;

namespace Derp.ServiceDefaults.Redis;

/// <summary>
/// Remembers one-time values (request nonces) for a while so a second use can be refused. Kept in Redis for every
/// replica; while Redis is unreachable each replica remembers in its own memory (ADR-012): a replay to the same
/// replica is still refused, one to another replica is not until Redis is back.
/// </summary>
public sealed class ReplayGuard(RedisConnection redis, TimeProvider clock)
{
    private const int SweepEvery = 1024;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _local = new();
    private int _uses;

    /// <summary>True the first time <paramref name="key"/> is seen within <paramref name="remember"/>.</summary>
    public async Task<bool> FirstUseAsync(string key, TimeSpan remember)
    {
        var (done, first) = await redis.TryAsync("replay_guard",
            db => db.StringSetAsync($"{redis.KeyPrefix}nonce:{key}", "1", remember, StackExchange.Redis.When.NotExists));
        return done ? first : FirstUseLocally(key, remember);
    }

    private bool FirstUseLocally(string key, TimeSpan remember)
    {
        var now = clock.GetUtcNow();
        if (Interlocked.Increment(ref _uses) % SweepEvery == 0)
            foreach (var (k, expiry) in _local)
                if (expiry <= now)
                    _local.TryRemove(k, out _);
        if (_local.TryAdd(key, now + remember))
            return true;
        // Seen before: a first use again only if that memory has run out (and this caller is the one renewing it).
        return _local.TryGetValue(key, out var until) && until <= now && _local.TryUpdate(key, now + remember, until);
    }
}
