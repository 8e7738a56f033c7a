using System.Text.Json;
using Derp.Acl.Api.Infrastructure;
using Derp.Acl.Api.Model;
using Derp.Contracts.Acl;
using Derp.Contracts.Servers;
using Derp.ServiceDefaults.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Derp.Acl.Api.Services;

/// <summary>Who asked for a generation: an admin's request, or nobody (an event or the rotation job).</summary>
public sealed record GenerationRequester(Guid? AdminId, string? Ip)
{
    public static readonly GenerationRequester System = new(null, null);
}

/// <summary>
/// Makes the next policy version of a renter. The caller owns the transaction: the renter row is locked, so two
/// generations for one renter are serialised and numbered N+1, N+2; the version, its log row and the
/// <see cref="AclGenerated"/> outbox row commit together.
/// </summary>
public sealed class PolicyGenerator(AclContext db, TimeProvider clock, IIpLocationResolver locations, IOptions<AclOptions> options)
{
    private static readonly JsonSerializerOptions RelayJson = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<RelayNode> RelaysOf(PolicyVersion version) =>
        JsonSerializer.Deserialize<List<RelayNode>>(version.Relays, RelayJson) ?? [];

    /// <summary>Locks the renter's row, creating it first if no event has yet.</summary>
    public async Task<Renter> LockRenterAsync(Guid userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO renters (user_id, rental_active, over_quota, deregistered, current_version, updated_at) VALUES ({userId}, false, false, false, 0, {now}) ON CONFLICT DO NOTHING",
            cancellationToken);
        return await db.Renters.FromSqlInterpolated($"SELECT * FROM renters WHERE user_id = {userId} FOR UPDATE").SingleAsync(cancellationToken);
    }

    public async Task<PolicyVersion> GenerateAsync(Renter renter, IReadOnlyList<RelayNode> relays, string trigger, GenerationRequester requester,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var validUntil = now + options.Value.PolicyLifetime;
        var number = renter.CurrentVersion + 1;
        var nodeKeys = await db.Devices.Where(d => d.UserId == renter.UserId).Select(d => d.NodeKey).ToListAsync(cancellationToken);
        var version = new PolicyVersion
        {
            Id = Guid.CreateVersion7(),
            UserId = renter.UserId,
            Version = number,
            Trigger = trigger,
            Relays = JsonSerializer.Serialize(relays, RelayJson),
            TailscalePolicy = PolicyDocuments.TailscalePolicy(relays, number, now, validUntil, nodeKeys),
            HeadscaleDerpMap = PolicyDocuments.HeadscaleDerpMap(relays, number, validUntil),
            GeneratedAt = now,
            ValidUntil = validUntil,
        };
        renter.CurrentVersion = number;
        renter.UpdatedAt = now;
        db.PolicyVersions.Add(version);
        db.GenerationLog.Add(new GenerationLogEntry
        {
            UserId = renter.UserId,
            Version = number,
            Trigger = trigger,
            RequestedBy = requester.AdminId,
            RequesterIp = requester.Ip,
            Location = locations.Locate(requester.Ip),
            GeneratedAt = now,
        });
        db.AddIntegrationEvent(new AclGenerated(renter.UserId, number, trigger, now, validUntil), clock);
        AclMetrics.Generations.Add(1, new KeyValuePair<string, object?>("trigger", trigger));
        return version;
    }

    public Task<PolicyVersion?> CurrentAsync(Guid userId, CancellationToken cancellationToken) =>
        db.PolicyVersions.Where(v => v.UserId == userId).OrderByDescending(v => v.Version).FirstOrDefaultAsync(cancellationToken);
}
