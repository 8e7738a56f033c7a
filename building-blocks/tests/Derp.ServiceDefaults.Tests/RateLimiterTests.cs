using Derp.ServiceDefaults.Redis;
using Derp.TestSupport;

namespace Derp.ServiceDefaults.Tests;

/// <summary>Against the real Redis that `make test` starts.</summary>
public sealed class RateLimiterTests : IDisposable
{
    private readonly RedisConnection _redis = new(TestInfrastructure.Redis, new RedisOptions { KeyPrefix = $"test:{Guid.NewGuid():N}:" });
    private readonly RedisRateLimiter _limiter;

    public RateLimiterTests() => _limiter = new RedisRateLimiter(_redis);

    [Fact]
    public async Task Allows_the_limit_then_refuses_with_the_time_left_in_the_window()
    {
        for (var i = 1; i <= 3; i++)
            (await _limiter.HitAsync("k", 3, TimeSpan.FromMinutes(10))).Allowed.ShouldBeTrue();

        var fourth = await _limiter.HitAsync("k", 3, TimeSpan.FromMinutes(10));

        fourth.Allowed.ShouldBeFalse();
        fourth.Count.ShouldBe(4);
        fourth.RetryAfter.ShouldBeInRange(TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task Concurrent_hits_are_counted_exactly()
    {
        var decisions = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => _limiter.HitAsync("burst", 10, TimeSpan.FromMinutes(1))));

        decisions.Count(d => d.Allowed).ShouldBe(10);
    }

    [Fact]
    public async Task The_window_expires_and_reset_clears_it()
    {
        await _limiter.HitAsync("short", 1, TimeSpan.FromMilliseconds(300));
        (await _limiter.HitAsync("short", 1, TimeSpan.FromMilliseconds(300))).Allowed.ShouldBeFalse();
        await Task.Delay(400);
        (await _limiter.HitAsync("short", 1, TimeSpan.FromMilliseconds(300))).Allowed.ShouldBeTrue();

        await _limiter.ResetAsync("short");
        (await _limiter.PeekAsync("short", 1)).Count.ShouldBe(0);
    }

    [Fact]
    public async Task An_unreachable_redis_falls_back_to_a_local_window_with_the_same_limit()
    {
        using var nowhere = new RedisConnection("127.0.0.1:1");
        var limiter = new RedisRateLimiter(nowhere);

        (await limiter.HitAsync("k", 2, TimeSpan.FromMinutes(1))).Allowed.ShouldBeTrue();
        (await limiter.HitAsync("k", 2, TimeSpan.FromMinutes(1))).Allowed.ShouldBeTrue();
        var third = await limiter.HitAsync("k", 2, TimeSpan.FromMinutes(1));

        third.Allowed.ShouldBeFalse();
        third.RetryAfter.ShouldBeGreaterThan(TimeSpan.Zero);
        (await limiter.PeekAsync("k", 2)).Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_hung_redis_costs_each_call_at_most_the_operation_timeout_and_the_fallback_counts()
    {
        // A forwarder that keeps the connection open but stops passing bytes: Redis as seen when it is paused.
        await using var forwarder = new TcpForwarder("127.0.0.1", 6379);
        var options = new RedisOptions { KeyPrefix = $"test:{Guid.NewGuid():N}:", OperationTimeout = TimeSpan.FromMilliseconds(300), RetryAfter = TimeSpan.FromSeconds(30) };
        using var hung = new RedisConnection($"127.0.0.1:{forwarder.Port}", options);
        var limiter = new RedisRateLimiter(hung);
        var guard = new ReplayGuard(hung, TimeProvider.System);
        (await limiter.HitAsync("k", 3, TimeSpan.FromMinutes(1))).Count.ShouldBe(1); // through Redis
        using var fallbacks = new FallbackCounter();

        forwarder.Pause();
        // Without a bound these calls wait for StackExchange.Redis's own timeouts (about 14 s measured). The deadline is a
        // liveness bound, far above the 300 ms timeout, not a speed figure.
        var decisions = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => limiter.HitAsync("k", 3, TimeSpan.FromMinutes(1))))
            .WaitAsync(TimeSpan.FromSeconds(5));
        var firstUse = await guard.FirstUseAsync("nonce-1", TimeSpan.FromMinutes(1)).WaitAsync(TimeSpan.FromSeconds(5));
        var replay = await guard.FirstUseAsync("nonce-1", TimeSpan.FromMinutes(1)).WaitAsync(TimeSpan.FromSeconds(5));

        decisions.Count(d => d.Allowed).ShouldBe(3); // the local window applies the limit afresh
        firstUse.ShouldBeTrue();
        replay.ShouldBeFalse(); // refused by this replica's memory while Redis is away
        fallbacks.Count.ShouldBeGreaterThanOrEqualTo(6);
        forwarder.Resume();
    }

    /// <summary>Counts derp_redis_fallbacks measurements made on this thread's test.</summary>
    private sealed class FallbackCounter : IDisposable
    {
        private readonly System.Diagnostics.Metrics.MeterListener _listener = new();
        private long _count;

        public FallbackCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "derp_redis_fallbacks")
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }

    public void Dispose() => _redis.Dispose();
}
