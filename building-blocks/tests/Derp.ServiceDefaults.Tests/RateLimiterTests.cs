using Derp.ServiceDefaults.Redis;
using Derp.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Derp.ServiceDefaults.Tests;

/// <summary>Against the real Redis that `make test` starts.</summary>
public sealed class RateLimiterTests : IDisposable
{
    private readonly RedisConnection _redis = new(TestInfrastructure.Redis, $"test:{Guid.NewGuid():N}:");
    private readonly RedisRateLimiter _limiter;

    public RateLimiterTests() => _limiter = new RedisRateLimiter(_redis, NullLogger<RedisRateLimiter>.Instance);

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
    public async Task An_unreachable_redis_fails_open()
    {
        using var nowhere = new RedisConnection("127.0.0.1:1,connectTimeout=200,syncTimeout=200");
        var limiter = new RedisRateLimiter(nowhere, NullLogger<RedisRateLimiter>.Instance);

        (await limiter.HitAsync("k", 1, TimeSpan.FromMinutes(1))).Allowed.ShouldBeTrue();
    }

    public void Dispose() => _redis.Dispose();
}
