using Derp.ServiceDefaults.Persistence;

namespace Derp.BuildingBlocks.UnitTests;

/// <summary>The bounded in-memory view behind hot decisions (ADR-028).</summary>
public sealed class RecentViewTests
{
    private static RecentView<int, string> LiveView(int capacity)
    {
        var view = new RecentView<int, string>(capacity);
        view.Reset(live: true);
        return view;
    }

    [Fact]
    public void Never_holds_more_than_its_capacity_and_drops_the_least_recently_used()
    {
        var view = LiveView(100);
        for (var i = 0; i < 100; i++)
            view.Store(i, $"v{i}", view.BeginLoad()).ShouldBeTrue();
        view.TryGet(0, out _).ShouldBeTrue(); // 0 is now the most recently used

        for (var i = 100; i < 1000; i++)
        {
            view.Store(i, $"v{i}", view.BeginLoad());
            view.Count.ShouldBeLessThanOrEqualTo(100);
        }

        view.Contains(999).ShouldBeTrue();
        view.Contains(1).ShouldBeFalse();
    }

    [Fact]
    public void A_load_that_began_before_an_invalidation_is_not_kept()
    {
        var view = LiveView(10);
        var started = view.BeginLoad();
        view.Invalidate(1); // the row's notification is handled while the load is in flight

        view.Store(1, "stale", started).ShouldBeFalse();
        view.TryGet(1, out _).ShouldBeFalse();
    }

    [Fact]
    public void Serves_and_keeps_nothing_while_the_feed_is_not_live()
    {
        var view = LiveView(10);
        view.Store(1, "a", view.BeginLoad());

        view.Reset(live: false);

        view.TryGet(1, out _).ShouldBeFalse();
        view.Store(1, "a", view.BeginLoad()).ShouldBeFalse();
        view.Reset(live: true);
        view.Store(1, "a", view.BeginLoad()).ShouldBeTrue();
    }
}
