using Derp.ServiceDefaults.Redis;

namespace Derp.BuildingBlocks.UnitTests;

/// <summary>The in-memory half of the local-first limiter (ADR-029), on a manual clock.</summary>
public sealed class LocalFirstWindowsTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly ManualClock _clock = new(DateTimeOffset.FromUnixTimeMilliseconds(60_000 * 1000 + 10_000)); // 10 s into a window
    private readonly LocalFirstWindows _windows;

    public LocalFirstWindowsTests() => _windows = new LocalFirstWindows(_clock);

    [Fact]
    public void Allows_the_limit_then_refuses_until_the_aligned_window_ends()
    {
        for (var i = 1; i <= 3; i++)
            _windows.Hit("k", 3, Minute).Allowed.ShouldBeTrue();

        var fourth = _windows.Hit("k", 3, Minute);

        fourth.Allowed.ShouldBeFalse();
        fourth.Count.ShouldBe(4);
        fourth.RetryAfter.ShouldBe(TimeSpan.FromSeconds(50)); // windows start on multiples of their length
        _clock.Advance(TimeSpan.FromSeconds(50));
        _windows.Hit("k", 3, Minute).ShouldBe(new RateLimitDecision(true, 1, TimeSpan.Zero));
    }

    [Fact]
    public void A_decision_counts_the_shared_count_plus_the_hits_in_flight_and_unsent()
    {
        _windows.Hit("k", 5, Minute);
        _windows.Hit("k", 5, Minute);
        var change = _windows.TakeChanges().ShouldHaveSingleItem();
        change.Sent.ShouldBe(2);
        _windows.Hit("k", 5, Minute).Count.ShouldBe(3); // two in flight, one unsent

        _windows.Apply(change, 4); // Redis: our 2 plus 2 from another replica
        _windows.Peek("k", 5).Count.ShouldBe(5); // 4 shared + 1 unsent
        _windows.Hit("k", 5, Minute).Allowed.ShouldBeFalse(); // the sixth in the window across replicas
    }

    [Fact]
    public void Hits_a_failed_sync_could_not_send_are_sent_by_the_next_one()
    {
        _windows.Hit("k", 5, Minute);
        var failed = _windows.TakeChanges().ShouldHaveSingleItem();
        _windows.Unsent(failed);

        var retried = _windows.TakeChanges().ShouldHaveSingleItem();

        retried.Sent.ShouldBe(1);
        _windows.Peek("k", 5).Count.ShouldBe(1); // never counted twice
    }

    [Fact]
    public void An_answer_about_a_window_that_has_ended_is_ignored()
    {
        _windows.Hit("k", 5, Minute);
        var change = _windows.TakeChanges().ShouldHaveSingleItem();
        _clock.Advance(Minute);
        _windows.Hit("k", 5, Minute);

        _windows.Apply(change, 100);

        _windows.Peek("k", 5).Count.ShouldBe(1);
    }

    [Fact]
    public void Only_keys_hit_since_the_last_sync_are_sent_and_ended_idle_windows_are_forgotten()
    {
        _windows.Hit("a", 5, Minute);
        _windows.Hit("b", 5, Minute);
        _windows.TakeChanges().Count.ShouldBe(2);
        _windows.Hit("a", 5, Minute);

        _windows.TakeChanges().ShouldHaveSingleItem().Key.ShouldBe("a");
        _clock.Advance(Minute);
        _windows.TakeChanges().ShouldBeEmpty();
        _windows.Peek("a", 5).Count.ShouldBe(0);
    }

    [Fact]
    public void Reset_forgets_the_key_and_names_its_redis_window()
    {
        _windows.Hit("k", 1, Minute);
        _windows.Hit("k", 1, Minute).Allowed.ShouldBeFalse();

        _windows.Reset("k").ShouldBe($"rlw:k:{_clock.GetUtcNow().ToUnixTimeMilliseconds() / 60_000}");

        _windows.Hit("k", 1, Minute).Allowed.ShouldBeTrue();
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;
        public override DateTimeOffset GetUtcNow() => _now;
        public void Advance(TimeSpan by) => _now += by;
    }
}
