using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Derp.ServiceDefaults.Redis;

public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>Prefixes every key, so environments (and test runs) sharing one Redis never see each other's keys.</summary>
    public string KeyPrefix { get; set; } = "derp:";

    /// <summary>The longest any request waits for Redis; past it the caller's local fallback decides.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>After a failure, how long calls skip Redis and go straight to the fallback (no timeout paid per request).</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// One multiplexer per process, connected lazily and reconnecting by itself. Every call is bounded by
/// <see cref="RedisOptions.OperationTimeout"/> (StackExchange.Redis 1.2.6 does not bound async calls to a hung server),
/// and after a failure Redis is skipped for <see cref="RedisOptions.RetryAfter"/>: callers get "unavailable" at once and
/// use their fallback. ADR-012 says what each protection does then.
/// </summary>
public sealed class RedisConnection : IDisposable
{
    private static readonly Meter Meter = new("Derp.Redis");
    private static readonly Counter<long> Fallbacks = Meter.CreateCounter<long>("derp_redis_fallbacks",
        description: "Redis calls answered by a local fallback because Redis was unreachable, slow or skipped after a failure.");

    private readonly Lazy<Task<ConnectionMultiplexer>> _multiplexer;
    private readonly RedisOptions _options;
    private readonly ILogger _logger;
    // Operational time (Environment.TickCount64), not the service's clock: tests that stop the business clock
    // must not stop timeouts or the breaker.
    private long _skipUntil;
    private long _lastWarning = long.MinValue / 2;

    public RedisConnection(string configuration, RedisOptions? options = null, ILogger<RedisConnection>? logger = null)
    {
        _options = options ?? new RedisOptions();
        _logger = logger ?? NullLogger<RedisConnection>.Instance;
        _multiplexer = new(() =>
        {
            var parsed = ConfigurationOptions.Parse(configuration);
            parsed.AbortOnConnectFail = false;
            parsed.ConnectTimeout = (int)_options.OperationTimeout.TotalMilliseconds * 4;
            parsed.SyncTimeout = (int)_options.OperationTimeout.TotalMilliseconds;
            return ConnectionMultiplexer.ConnectAsync(parsed);
        });
    }

    public string KeyPrefix => _options.KeyPrefix;

    /// <summary>
    /// Runs <paramref name="operation"/> within the timeout. Returns false (and counts a fallback for
    /// <paramref name="purpose"/>) when Redis failed, was too slow, or is being skipped after a recent failure.
    /// </summary>
    public async Task<(bool Done, T Result)> TryAsync<T>(string purpose, Func<IDatabase, Task<T>> operation)
    {
        if (Environment.TickCount64 < Interlocked.Read(ref _skipUntil))
            return Fallback<T>(purpose, null);
        try
        {
            var multiplexer = await _multiplexer.Value.WaitAsync(_options.OperationTimeout);
            return (true, await operation(multiplexer.GetDatabase()).WaitAsync(_options.OperationTimeout));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Interlocked.Exchange(ref _skipUntil, Environment.TickCount64 + (long)_options.RetryAfter.TotalMilliseconds);
            return Fallback<T>(purpose, e);
        }
    }

    /// <summary>A bounded PING for health checks; never skipped, never counted as a fallback.</summary>
    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken)
    {
        var multiplexer = await _multiplexer.Value.WaitAsync(_options.OperationTimeout, cancellationToken);
        return await multiplexer.GetDatabase().PingAsync().WaitAsync(_options.OperationTimeout, cancellationToken);
    }

    private (bool, T) Fallback<T>(string purpose, Exception? error)
    {
        Fallbacks.Add(1, new KeyValuePair<string, object?>("purpose", purpose));
        // One line a minute is enough to see an outage; the counter has the volume.
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastWarning);
        if (error is not null && now - last > 60_000 && Interlocked.CompareExchange(ref _lastWarning, now, last) == last)
            _logger.LogWarning(error, "Redis unavailable; {Purpose} uses its local fallback for at least {RetryAfter}", purpose, _options.RetryAfter);
        return (false, default!);
    }

    public void Dispose()
    {
        if (_multiplexer.IsValueCreated && _multiplexer.Value.IsCompletedSuccessfully)
            _multiplexer.Value.Result.Dispose();
    }
}
