using Microsoft.Extensions.Logging;
using StackExchange.Redis;

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

public sealed class RedisRateLimiter(RedisConnection redis, ILogger<RedisRateLimiter> logger) : IRateLimiter
{
    // INCR and set the expiry on the first hit atomically; return the count and the time left in the window.
    private const string HitScript = """
        local count = redis.call('INCR', KEYS[1])
        if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end
        return { count, ttl }
        """;


    public async Task<RateLimitDecision> HitAsync(string key, int limit, TimeSpan window)
    {
        try
        {
            var result = (RedisResult[])(await redis.Database.ScriptEvaluateAsync(HitScript,
                [(RedisKey)(redis.KeyPrefix + "rl:" + key)], [(long)window.TotalMilliseconds]))!;
            var count = (int)result[0];
            var ttl = TimeSpan.FromMilliseconds((long)result[1]);
            return new RateLimitDecision(count <= limit, count, count <= limit ? TimeSpan.Zero : ttl);
        }
        catch (RedisException e)
        {
            // Fail open: an unreachable Redis must not lock every user out. Readiness reports it, and the
            // account lockout kept in PostgreSQL still protects passwords.
            logger.LogError(e, "Rate limiter unavailable; allowing {Key}", key);
            return new RateLimitDecision(true, 0, TimeSpan.Zero);
        }
    }

    public async Task<RateLimitDecision> PeekAsync(string key, int limit)
    {
        try
        {
            var db = redis.Database;
            var value = await db.StringGetAsync(redis.KeyPrefix + "rl:" + key);
            var count = value.IsNull ? 0 : (int)value;
            var ttl = await db.KeyTimeToLiveAsync(redis.KeyPrefix + "rl:" + key) ?? TimeSpan.Zero;
            return new RateLimitDecision(count < limit, count, count < limit ? TimeSpan.Zero : ttl);
        }
        catch (RedisException e)
        {
            logger.LogError(e, "Rate limiter unavailable; allowing {Key}", key);
            return new RateLimitDecision(true, 0, TimeSpan.Zero);
        }
    }

    public async Task ResetAsync(string key)
    {
        try { await redis.Database.KeyDeleteAsync(redis.KeyPrefix + "rl:" + key); }
        catch (RedisException e) { logger.LogError(e, "Rate limiter unavailable; could not reset {Key}", key); }
    }
}

/// <summary>One multiplexer per process, connected lazily and reconnecting by itself.</summary>
public sealed class RedisConnection(string configuration, string keyPrefix = "derp:") : IDisposable
{
    /// <summary>Prefixes every key, so environments (and test runs) sharing one Redis never see each other's counters.</summary>
    public string KeyPrefix { get; } = keyPrefix;

    private readonly Lazy<ConnectionMultiplexer> _multiplexer = new(() =>
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        return ConnectionMultiplexer.Connect(options);
    });

    public IDatabase Database => _multiplexer.Value.GetDatabase();

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated)
            _multiplexer.Value.Dispose();
    }
}
