using System.Collections.Concurrent;

namespace Derp.ServiceDefaults.Redis;

public readonly record struct RateLimitDecision(bool Allowed, int Count, TimeSpan RetryAfter);

/// <summary>Fixed-window counters shared by every replica of every service.</summary>
public interface IRateLimiter
{
    /// <summary>Counts one hit on <paramref name="key"/> and says whether it is within <paramref name="limit"/> per <paramref name="window"/>.</summary>
    Task<RateLimitDecision> HitAsync(string key, int limit, TimeSpan window);

    /// <summary>Reads the current count without counting a hit.</summary>
    Task<RateLimitDecision> PeekAsync(string key, int limit);

    Task ResetAsync(string key);
}

/// <summary>
/// The strict mode (ADR-029): counters in Redis, shared by every replica, asked on every hit. While Redis is unreachable each replica counts in its own memory with the
/// same limits (ADR-012): a limit still holds per replica, so an outage multiplies it by the replica count at most
/// instead of switching it off.
/// </summary>
public sealed class RedisRateLimiter(RedisConnection redis, TimeProvider clock) : IRateLimiter
{
    // INCR and set the expiry on the first hit atomically; return the count and the time left in the window.
    private const string HitScript = """
        local count = redis.call('INCR', KEYS[1])
        if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end
        return { count, ttl }
        """;

    private readonly LocalWindows _local = new(clock);

    public RedisRateLimiter(RedisConnection redis) : this(redis, TimeProvider.System) { }

    public async Task<RateLimitDecision> HitAsync(string key, int limit, TimeSpan window)
    {
        var (done, result) = await redis.TryAsync("rate_limit", db => db.ScriptEvaluateAsync(HitScript,
            [(StackExchange.Redis.RedisKey)(redis.KeyPrefix + "rl:" + key)], [(long)window.TotalMilliseconds]));
        if (!done)
            return _local.Hit(key, limit, window);
        var values = (StackExchange.Redis.RedisResult[])result!;
        var count = (int)values[0];
        var ttl = TimeSpan.FromMilliseconds((long)values[1]);
        return new RateLimitDecision(count <= limit, count, count <= limit ? TimeSpan.Zero : ttl);
    }

    public async Task<RateLimitDecision> PeekAsync(string key, int limit)
    {
        var (done, state) = await redis.TryAsync("rate_limit", async db =>
        {
            var value = await db.StringGetAsync(redis.KeyPrefix + "rl:" + key);
            var ttl = await db.KeyTimeToLiveAsync(redis.KeyPrefix + "rl:" + key) ?? TimeSpan.Zero;
            return (Count: value.IsNull ? 0 : (int)value, Ttl: ttl);
        });
        if (!done)
            return _local.Peek(key, limit);
        return new RateLimitDecision(state.Count < limit, state.Count, state.Count < limit ? TimeSpan.Zero : state.Ttl);
    }

    public async Task ResetAsync(string key)
    {
        _local.Reset(key);
        await redis.TryAsync("rate_limit", db => db.KeyDeleteAsync(redis.KeyPrefix + "rl:" + key));
    }

    /// <summary>In-process fixed windows: the fallback while Redis is away.</summary>
    private sealed class LocalWindows(TimeProvider clock)
    {
        private const int SweepEvery = 1024;
        private readonly ConcurrentDictionary<string, Window> _windows = new();
        private int _hits;

        public RateLimitDecision Hit(string key, int limit, TimeSpan window)
        {
            var now = clock.GetUtcNow();
            if (Interlocked.Increment(ref _hits) % SweepEvery == 0)
                Sweep(now);
            var current = _windows.AddOrUpdate(key,
                _ => new Window(1, now + window),
                (_, w) => w.EndsAt <= now ? new Window(1, now + window) : w with { Count = w.Count + 1 });
            return new RateLimitDecision(current.Count <= limit, current.Count, current.Count <= limit ? TimeSpan.Zero : current.EndsAt - now);
        }

        public RateLimitDecision Peek(string key, int limit)
        {
            var now = clock.GetUtcNow();
            var count = _windows.TryGetValue(key, out var w) && w.EndsAt > now ? w.Count : 0;
            return new RateLimitDecision(count < limit, count, count < limit ? TimeSpan.Zero : w!.EndsAt - now);
        }

        public void Reset(string key) => _windows.TryRemove(key, out _);

        private void Sweep(DateTimeOffset now)
        {
            foreach (var (key, window) in _windows)
                if (window.EndsAt <= now)
                    _windows.TryRemove(key, out _);
        }

        private readonly record struct Window(int Count, DateTimeOffset EndsAt);
    }
}
