using Derp.Acl.Api.Infrastructure;
using Derp.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Derp.Acl.Api.Services;

/// <summary>What admission needs of a node key: its device's owner (null: no such device) and that renter's rental state.</summary>
public sealed record AdmissionFacts(Guid? UserId, bool RenterKnown, bool RentalActive, DateTimeOffset? ExpiresAt, bool OverQuota, bool Deregistered)
{
    public static readonly AdmissionFacts UnknownKey = new(null, false, false, null, false, false);

    /// <summary>The same rule as <see cref="Model.Renter.IsEntitled"/>; the clock is read on every decision.</summary>
    public bool IsEntitled(DateTimeOffset now) => RentalActive && !Deregistered && ExpiresAt > now;
}

/// <summary>
/// Relay admission from memory (ADR-028): node key → facts, unknown keys included (device inserts notify), kept fresh
/// by the change feed from the <c>renter_devices</c> and <c>renters</c> triggers; a (re)connect drops everything.
/// </summary>
public sealed class AdmissionView(IServiceScopeFactory scopes) : IChangeFeedSubscriber
{
    /// <summary>Payload: the node key.</summary>
    public const string DevicesChannel = "acl_devices_changed";

    /// <summary>Payload: the renter's user id (only when a deciding column changed).</summary>
    public const string RentersChannel = "acl_renters_changed";

    public RecentView<string, AdmissionFacts> Held { get; } = new(100_000);

    public IReadOnlyCollection<string> Channels { get; } = [DevicesChannel, RentersChannel];

    public async ValueTask<AdmissionFacts> GetAsync(string nodeKey, CancellationToken cancellationToken)
    {
        if (Held.TryGet(nodeKey, out var held))
            return held;
        var loadStartedAt = Held.BeginLoad();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AclContext>();
        var found = await db.Devices.AsNoTracking()
            .Where(d => d.NodeKey == nodeKey)
            .Select(d => new { d.UserId, Renter = db.Renters.FirstOrDefault(r => r.UserId == d.UserId) })
            .FirstOrDefaultAsync(cancellationToken);
        var facts = found is null ? AdmissionFacts.UnknownKey
            : found.Renter is not { } renter ? new AdmissionFacts(found.UserId, false, false, null, false, false)
            : new AdmissionFacts(found.UserId, true, renter.RentalActive, renter.ExpiresAt, renter.OverQuota, renter.Deregistered);
        Held.Store(nodeKey, facts, loadStartedAt);
        return facts;
    }

    public void Changed(string channel, string key)
    {
        if (channel == DevicesChannel)
            Held.Invalidate(key);
        else if (channel == RentersChannel && Guid.TryParse(key, out var userId))
            Held.InvalidateWhere((_, facts) => facts.UserId == userId);
    }

    public void Reset(bool live) => Held.Reset(live);
}
