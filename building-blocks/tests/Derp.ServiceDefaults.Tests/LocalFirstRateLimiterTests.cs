using System.Diagnostics.Metrics;
using Derp.ServiceDefaults.Redis;
using Derp.TestSupport;

namespace Derp.ServiceDefaults.Tests;

/// <summary>
/// The local-first limiter (ADR-029) against the real Redis: two instances sharing one key prefix are two replicas.
/// Reconciliation is driven by <see cref="LocalFirstRateLimiter.SyncAsync"/> where the test needs a definite moment,
/// and by the limiter's own timer (polled with a deadline) where the test proves the timer does it.
/// </summary>
public sealed class LocalFirstRateLimiterTests : IDisposable
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    // A fixed business clock: a window boundary can never fall inside a test.
    private static readonly TimeProvider Fixed = new FixedClock(DateTimeOffset.UtcNow.Date.AddHours(12));
    private readonly RedisOptions _options = new() { KeyPrefix = $"test:{Guid.NewGuid():N}:", RetryAfter = TimeSpan.FromMilliseconds(200) };
    private readonly RedisConnection _redisA;
    private readonly RedisConnection _redisB;

    public LocalFirstRateLimiterTests()
    {
        _redisA = new RedisConnection(TestInfrastructure.Redis, _options);
        _redisB = new RedisConnection(TestInfrastructure.Redis, _options);
    }

    [Fact]
    public async Task Two_replicas_reconcile_their_counts_and_the_limit_holds_across_both()
    {
        using var a = new LocalFirstRateLimiter(_redisA, Fixed, ManualSync);
        using var b = new LocalFirstRateLimiter(_redisB, Fixed, ManualSync);

        for (var i = 0; i < 6; i++)
            (await a.HitAsync("validate:code:X", 10, Hour)).Allowed.ShouldBeTrue();
        for (var i = 0; i < 4; i++)
            (await b.HitAsync("validate:code:X", 10, Hour)).Allowed.ShouldBeTrue();
        (await a.SyncAsync()).ShouldBeTrue(); // sends 6, reads 6
        (await b.SyncAsync()).ShouldBeTrue(); // sends 4, reads 10

        (await b.HitAsync("validate:code:X", 10, Hour)).Allowed.ShouldBeFalse(); // B knows all ten
        // A has not heard of B's four since its last sync: the slack ADR-029 states, at most one sync interval of hits.
        (await a.HitAsync("validate:code:X", 10, Hour)).Allowed.ShouldBeTrue();
        (await a.SyncAsync()).ShouldBeTrue();
        (await a.HitAsync("validate:code:X", 10, Hour)).Allowed.ShouldBeFalse();
        (await SharedCountAsync("validate:code:X", Hour)).ShouldBe(11); // the hits B refused since are not sent yet
    }

    [Fact]
    public async Task The_background_sync_shares_the_counts_without_being_asked()
    {
        var fast = new LocalFirstRateLimitOptions { SyncInterval = TimeSpan.FromMilliseconds(50) };
        using var a = new LocalFirstRateLimiter(_redisA, Fixed, fast);
        using var b = new LocalFirstRateLimiter(_redisB, Fixed, fast);

        for (var i = 0; i < 5; i++)
            (await a.HitAsync("validate:ip:1", 5, Hour)).Allowed.ShouldBeTrue();
        await Until.TrueAsync(async () => await SharedCountAsync("validate:ip:1", Hour) == 5, "replica A to send its five hits");
        (await b.HitAsync("validate:ip:1", 5, Hour)).Allowed.ShouldBeTrue(); // decided before B's next sync
        await Until.TrueAsync(async () => (await b.PeekAsync("validate:ip:1", 5)).Count == 6, "replica B to learn replica A's five hits");

        var refused = await b.HitAsync("validate:ip:1", 5, Hour);

        refused.Allowed.ShouldBeFalse();
        refused.RetryAfter.ShouldBeGreaterThan(TimeSpan.Zero);
    }

    [Fact]
    public async Task With_redis_down_the_hot_path_fails_open_with_a_metric_and_the_strict_limit_still_refuses()
    {
        using var nowhere = new RedisConnection("127.0.0.1:1", _options);
        var modes = new RateLimitModes().LocalFirst("validate:");
        using var localFirst = new LocalFirstRateLimiter(nowhere, Fixed, ManualSync);
        var limiter = new ModalRateLimiter(modes, new RedisRateLimiter(nowhere, Fixed), localFirst);
        using var failOpen = new MeasurementCounter("derp_rate_limit_fail_open");

        await limiter.HitAsync("validate:code:Y", 2, Hour);
        (await localFirst.SyncAsync()).ShouldBeFalse();
        var validations = new List<RateLimitDecision>();
        for (var i = 0; i < 5; i++)
            validations.Add(await limiter.HitAsync("validate:code:Y", 2, Hour));
        var logins = new List<RateLimitDecision>();
        for (var i = 0; i < 3; i++)
            logins.Add(await limiter.HitAsync("login:ip:10.0.0.1", 2, Hour));

        validations.ShouldAllBe(d => d.Allowed);
        failOpen.Count.ShouldBeGreaterThanOrEqualTo(5);
        logins.Select(d => d.Allowed).ShouldBe([true, true, false]); // never fails open (ADR-012's local window)
    }

    [Fact]
    public async Task After_an_outage_the_hits_counted_meanwhile_reach_redis_and_the_limit_applies_again()
    {
        await using var forwarder = new TcpForwarder("127.0.0.1", 6379);
        var options = new RedisOptions { KeyPrefix = _options.KeyPrefix, OperationTimeout = TimeSpan.FromMilliseconds(300), RetryAfter = TimeSpan.FromMilliseconds(200) };
        using var cut = new RedisConnection($"127.0.0.1:{forwarder.Port}", options);
        using var a = new LocalFirstRateLimiter(cut, Fixed, ManualSync);
        using var b = new LocalFirstRateLimiter(_redisB, Fixed, ManualSync);
        (await a.HitAsync("validate:code:Z", 4, Hour)).Allowed.ShouldBeTrue();
        (await a.SyncAsync()).ShouldBeTrue();

        forwarder.Cut();
        await Until.TrueAsync(async () =>
        {
            await a.HitAsync("validate:probe", 1_000, Hour); // something to send, on another key
            return !await a.SyncAsync();
        }, "replica A to see Redis unreachable");
        var duringOutage = new List<RateLimitDecision>();
        for (var i = 0; i < 4; i++)
            duringOutage.Add(await a.HitAsync("validate:code:Z", 4, Hour));
        forwarder.Restore();
        await Until.TrueAsync(a.SyncAsync, "replica A to reach Redis again");
        (await b.HitAsync("validate:code:Z", 4, Hour)).Allowed.ShouldBeTrue(); // B has not synced yet: decided on its own 1
        await b.SyncAsync();

        duringOutage.ShouldAllBe(d => d.Allowed);
        (await a.HitAsync("validate:code:Z", 4, Hour)).Allowed.ShouldBeFalse();
        (await b.PeekAsync("validate:code:Z", 4)).Count.ShouldBe(6); // 1 + 4 sent after the outage + B's 1
    }

    private async Task<long> SharedCountAsync(string key, TimeSpan window)
    {
        var index = Fixed.GetUtcNow().ToUnixTimeMilliseconds() / (long)window.TotalMilliseconds;
        var (_, value) = await _redisA.TryAsync("test", db => db.StringGetAsync($"{_options.KeyPrefix}rlw:{key}:{index}"));
        return value.IsNull ? 0 : (long)value;
    }

    private static readonly LocalFirstRateLimitOptions ManualSync = new() { SyncInterval = Timeout.InfiniteTimeSpan };

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>Adds up the measurements of one instrument while the test runs.</summary>
    private sealed class MeasurementCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public MeasurementCounter(string instrumentName)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == instrumentName)
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }

    public void Dispose()
    {
        _redisA.Dispose();
        _redisB.Dispose();
    }
}
