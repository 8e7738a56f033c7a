using Derp.Contracts.Users;

namespace Derp.ServiceDefaults.Rentals;

/// <summary>
/// A service's local copy of a renter's rental, kept from the users service's events. Every service that keeps one
/// uses these names and <see cref="RentalProjection"/>'s rule, so the copies cannot disagree on what an ordering of
/// events means.
/// </summary>
public interface IRentalProjection
{
    Guid? RentalId { get; set; }
    /// <summary>Paid and not run out, as far as the events seen so far tell.</summary>
    bool RentalActive { get; set; }
    /// <summary>The latest expiry any event announced; never moves back.</summary>
    DateTimeOffset? ExpiresAt { get; set; }
    /// <summary>Over the plan's traffic quota in the current period; a new period clears it.</summary>
    bool OverQuota { get; set; }
    /// <summary>The account is closed: sticky, every later rental event is ignored.</summary>
    bool Deregistered { get; set; }
}

/// <summary>What applying an event did.</summary>
public enum RentalChange
{
    /// <summary>Stale (an expiry no later than one already known) or the account is closed: nothing changed.</summary>
    Ignored,
    /// <summary>The rental changed within its current period.</summary>
    Updated,
    /// <summary>A new period began (activation, or renewal after expiry): traffic counts from zero and the quota is clear.</summary>
    NewPeriod,
}

/// <summary>
/// The one rule for applying rental events in any order (events of one renter may arrive out of order: separate
/// queues, retries, redeliveries):
/// <list type="bullet">
/// <item>the later expiry wins: an activation or extension applies only when its expiry is later than the known one;
/// a stale expiry is ignored (so a late activation cannot undo an extension or an expiry);</item>
/// <item>an extension arriving before its activation is applied like an activation, not dropped;</item>
/// <item>an expiry applies only when no later expiry is known (an extension that overtook it wins); an expiry that
/// arrives first is remembered, so the activation it follows cannot revive the rental;</item>
/// <item>a new period (activation, renewal after expiry, or an extension that found nothing) clears the quota;</item>
/// <item>a closed account stays closed.</item>
/// </list>
/// Callers apply an event in the transaction that records its inbox row, under the renter's row lock.
/// </summary>
public static class RentalProjection
{
    public static RentalChange Apply(IRentalProjection rental, RentalActivated activated) =>
        ApplyExpiry(rental, activated.RentalId, activated.ExpiresAt, newPeriod: true);

    public static RentalChange Apply(IRentalProjection rental, RentalExtended extended) =>
        // Nothing known yet (the activation is still on its way), or renewed after a gap: a period starts.
        ApplyExpiry(rental, extended.RentalId, extended.ExpiresAt, newPeriod: extended.WasExpired || rental.ExpiresAt is null);

    public static RentalChange Apply(IRentalProjection rental, RentalExpired expired)
    {
        var expiredAt = Stored(expired.ExpiredAt);
        if (rental.Deregistered || rental.ExpiresAt > expiredAt)
            return RentalChange.Ignored;
        var known = rental.ExpiresAt is not null;
        rental.RentalId ??= expired.RentalId;
        // Remembered, so that the activation this expiry overtook is stale when it arrives.
        rental.ExpiresAt ??= expiredAt;
        if (known && !rental.RentalActive)
            return RentalChange.Ignored;
        rental.RentalActive = false;
        return RentalChange.Updated;
    }

    public static RentalChange Apply(IRentalProjection rental, UserDeregistered deregistered)
    {
        if (rental.Deregistered)
            return RentalChange.Ignored;
        rental.Deregistered = true;
        rental.RentalActive = false;
        return RentalChange.Updated;
    }

    /// <summary>The platform measured the renter over the quota (servers decides it; acl learns it from an event).</summary>
    public static RentalChange ExceedQuota(IRentalProjection rental)
    {
        if (rental.Deregistered || rental.OverQuota)
            return RentalChange.Ignored;
        rental.OverQuota = true;
        return RentalChange.Updated;
    }

    /// <summary>
    /// A moment as PostgreSQL keeps it (microseconds): an event's expiry is compared with the stored one at the
    /// precision both have, so the same expiry delivered again is recognised as the same.
    /// </summary>
    public static DateTimeOffset Stored(DateTimeOffset moment) => moment.AddTicks(-(moment.Ticks % 10));

    private static RentalChange ApplyExpiry(IRentalProjection rental, Guid rentalId, DateTimeOffset eventExpiresAt, bool newPeriod)
    {
        var expiresAt = Stored(eventExpiresAt);
        if (rental.Deregistered || rental.ExpiresAt >= expiresAt)
            return RentalChange.Ignored;
        rental.RentalId = rentalId;
        rental.ExpiresAt = expiresAt;
        rental.RentalActive = true;
        if (!newPeriod)
            return RentalChange.Updated;
        rental.OverQuota = false;
        return RentalChange.NewPeriod;
    }
}
