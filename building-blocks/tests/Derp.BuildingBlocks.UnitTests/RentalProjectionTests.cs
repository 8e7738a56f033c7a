using Derp.Contracts.Users;
using Derp.ServiceDefaults.Rentals;

namespace Derp.BuildingBlocks.UnitTests;

/// <summary>
/// The one rule for a renter's rental copy (servers and acl both use it): every ordering of the same events ends in
/// the same state, and that state is the one the events mean in the order users published them.
/// </summary>
public sealed class RentalProjectionTests
{
    /// <summary>A copy that keeps moments as PostgreSQL does (microseconds), like the services' rows.</summary>
    private sealed class Rental : IRentalProjection
    {
        private DateTimeOffset? _expiresAt;

        public Guid? RentalId { get; set; }
        public bool RentalActive { get; set; }
        public DateTimeOffset? ExpiresAt
        {
            get => _expiresAt;
            set => _expiresAt = value is { } v ? v.AddTicks(-(v.Ticks % 10)) : null;
        }
        public bool OverQuota { get; set; }
        public bool Deregistered { get; set; }

        public (bool Active, DateTimeOffset? ExpiresAt, bool OverQuota, bool Deregistered) State => (RentalActive, ExpiresAt, OverQuota, Deregistered);
    }

    private static readonly Guid RentalId = Guid.NewGuid();
    private static readonly Guid UserId = Guid.NewGuid();
    // Sub-microsecond ticks, as a clock gives them: the stored copy loses them.
    private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1234567);
    private static readonly DateTimeOffset FirstExpiry = Start.AddDays(30);

    private static RentalActivated Activated() => new RentalActivated(RentalId, UserId, Guid.NewGuid(), Start, FirstExpiry, null, 100, null);
    private static RentalExtended Extended(int days, bool wasExpired) =>
        new RentalExtended(RentalId, UserId, Guid.NewGuid(), FirstExpiry, FirstExpiry.AddDays(days), wasExpired, 100, "serial");
    private static RentalExpired Expired() => new RentalExpired(RentalId, UserId, FirstExpiry.AddMinutes(1));
    private static UserDeregistered Deregistered() => new UserDeregistered(UserId, "closed", FirstExpiry.AddDays(40));

    private static RentalChange Apply(IRentalProjection rental, object message) => message switch
    {
        RentalActivated m => RentalProjection.Apply(rental, m),
        RentalExtended m => RentalProjection.Apply(rental, m),
        RentalExpired m => RentalProjection.Apply(rental, m),
        UserDeregistered m => RentalProjection.Apply(rental, m),
        _ => throw new ArgumentOutOfRangeException(nameof(message)),
    };

    /// <summary>Scenarios in the order users published them, and what they mean: active?, the expiry (days after the first), closed?</summary>
    public static TheoryData<string, bool, int?, bool> Scenarios() => new()
    {
        { "activated", true, 0, false },
        { "activated,extended", true, 30, false },
        { "activated,expired", false, 0, false },
        { "activated,extended,expired-of-the-first-expiry", true, 30, false },
        { "activated,expired,renewed", true, 60, false },
        { "activated,extended,deregistered", false, 30, true },
        { "activated,expired,renewed,deregistered", false, 60, true },
    };

    private static List<object> Events(string scenario) => scenario.Split(',').Select(object (name) => name switch
    {
        "activated" => Activated(),
        "extended" => Extended(30, wasExpired: false),
        "renewed" => Extended(60, wasExpired: true),
        "expired" or "expired-of-the-first-expiry" => Expired(),
        "deregistered" => Deregistered(),
        _ => throw new ArgumentOutOfRangeException(nameof(scenario), name),
    }).ToList();

    private static IEnumerable<List<T>> Orderings<T>(List<T> items) =>
        items.Count <= 1 ? [items] : items.SelectMany((item, i) => Orderings(items.Where((_, j) => j != i).ToList()).Select(rest => (List<T>)[item, .. rest]));

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_ordering_of_the_same_events_ends_in_what_they_mean(string scenario, bool active, int? expiryDays, bool deregistered)
    {
        var events = Events(scenario);
        foreach (var ordering in Orderings(events))
        {
            var rental = new Rental();
            foreach (var message in ordering)
                Apply(rental, message);
            var order = string.Join(" > ", ordering.Select(m => m.GetType().Name));
            rental.RentalActive.ShouldBe(active, order);
            // An active rental's expiry is exact; an ended one's is only known to be over (an expiry that arrives
            // first stands for the expiry it reports), and a closed account's no longer matters.
            if (active)
                rental.ExpiresAt.ShouldBe(RentalProjection.Stored(FirstExpiry.AddDays(expiryDays!.Value)), order);
            else if (!deregistered)
                rental.ExpiresAt!.Value.ShouldBeLessThanOrEqualTo(FirstExpiry.AddDays(expiryDays!.Value).AddMinutes(1), order);
            rental.Deregistered.ShouldBe(deregistered, order);
            if (!deregistered)
                rental.RentalId.ShouldBe(RentalId, order);
        }
    }

    [Fact]
    public void Redelivered_or_stale_events_change_nothing()
    {
        var rental = new Rental();
        Apply(rental, Activated()).ShouldBe(RentalChange.NewPeriod);
        Apply(rental, Activated()).ShouldBe(RentalChange.Ignored);
        Apply(rental, Extended(30, false)).ShouldBe(RentalChange.Updated);
        Apply(rental, Extended(30, false)).ShouldBe(RentalChange.Ignored);
        Apply(rental, Extended(10, false)).ShouldBe(RentalChange.Ignored, "an earlier expiry never moves the rental back");
        Apply(rental, Expired()).ShouldBe(RentalChange.Ignored, "an extension overtook this expiry");
        rental.State.ShouldBe((true, RentalProjection.Stored(FirstExpiry.AddDays(30)), false, false));
    }

    [Fact]
    public void An_extension_before_its_activation_is_applied_as_a_new_period()
    {
        var rental = new Rental { OverQuota = true };
        Apply(rental, Extended(30, wasExpired: false)).ShouldBe(RentalChange.NewPeriod);
        rental.State.ShouldBe((true, RentalProjection.Stored(FirstExpiry.AddDays(30)), false, false));
        Apply(rental, Activated()).ShouldBe(RentalChange.Ignored);
    }

    [Fact]
    public void The_quota_is_cleared_by_a_new_period_only()
    {
        var rental = new Rental();
        Apply(rental, Activated());
        RentalProjection.ExceedQuota(rental).ShouldBe(RentalChange.Updated);
        RentalProjection.ExceedQuota(rental).ShouldBe(RentalChange.Ignored);
        Apply(rental, Extended(30, wasExpired: false)).ShouldBe(RentalChange.Updated);
        rental.OverQuota.ShouldBeTrue("an extension within the period keeps the period's traffic");
        Apply(rental, Expired());
        Apply(rental, Extended(60, wasExpired: true)).ShouldBe(RentalChange.NewPeriod);
        rental.OverQuota.ShouldBeFalse("renewal after expiry counts traffic from zero");
    }

    [Fact]
    public void A_closed_account_stays_closed()
    {
        var rental = new Rental();
        Apply(rental, Deregistered()).ShouldBe(RentalChange.Updated);
        Apply(rental, Activated()).ShouldBe(RentalChange.Ignored);
        Apply(rental, Extended(60, wasExpired: true)).ShouldBe(RentalChange.Ignored);
        RentalProjection.ExceedQuota(rental).ShouldBe(RentalChange.Ignored);
        rental.State.ShouldBe((false, null, false, true));
    }
}
