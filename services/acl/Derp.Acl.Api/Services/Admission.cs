using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Derp.Acl.Api.Infrastructure;
using Derp.Contracts.Acl;
using Derp.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Derp.Acl.Api.Services;

public sealed record AdmissionDecision(bool Allow, string Reason);

/// <summary>
/// derper's <c>-verify-client-url</c> decision: a relay admits a node key only when it is a registered device of the
/// relay's own renter and that renter's rental is active and within quota. One indexed read of the local projection.
/// </summary>
public sealed partial class AdmissionService(AclContext db, TimeProvider clock, AdmissionSecret secret, DenialLog denials)
{
    public async Task<AdmissionDecision> DecideAsync(string? token, string? nodePublic, string? source, CancellationToken cancellationToken)
    {
        if (!AdmissionTokens.TryRead(secret.Value, token, out var relayOwner, out _))
            return denials.Deny(DenialReasons.BadToken, null, nodePublic, source);
        var nodeKey = nodePublic?.ToLowerInvariant();
        if (nodeKey is null || !NodeKey().IsMatch(nodeKey))
            return denials.Deny(DenialReasons.MalformedKey, relayOwner, nodePublic, source);

        var found = await db.Devices.AsNoTracking()
            .Where(d => d.NodeKey == nodeKey)
            .Join(db.Renters, d => d.UserId, r => r.UserId, (d, r) => new { d.UserId, Renter = r })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
            return denials.Deny(DenialReasons.UnknownKey, relayOwner, nodeKey, source);
        if (found.UserId != relayOwner)
            return denials.Deny(DenialReasons.OtherRenter, relayOwner, nodeKey, source);
        if (!found.Renter.IsEntitled(clock.GetUtcNow()))
            return denials.Deny(DenialReasons.RentalInactive, relayOwner, nodeKey, source);
        if (found.Renter.OverQuota)
            return denials.Deny(DenialReasons.OverQuota, relayOwner, nodeKey, source);

        AclMetrics.Admissions.Add(1, new KeyValuePair<string, object?>("result", "allowed"), new KeyValuePair<string, object?>("reason", "ok"));
        return new AdmissionDecision(true, "ok");
    }

    [GeneratedRegex("^nodekey:[0-9a-f]{64}$")]
    private static partial Regex NodeKey();
}

/// <summary>
/// Counts every denial and logs it at most once per interval per reason and relay owner, so a misbehaving client
/// or a scan cannot flood the log.
/// </summary>
public sealed class DenialLog(TimeProvider clock, IOptions<AclOptions> options, ILogger<DenialLog> logger)
{
    private const int MaxTracked = 10_000;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastLogged = new();

    public AdmissionDecision Deny(string reason, Guid? relayOwner, string? nodeKey, string? source)
    {
        AclMetrics.Admissions.Add(1, new KeyValuePair<string, object?>("result", "denied"), new KeyValuePair<string, object?>("reason", reason));
        var now = clock.GetUtcNow();
        var key = $"{reason}/{relayOwner}";
        if (_lastLogged.TryGetValue(key, out var last) && now - last < options.Value.DenialLogInterval)
            return new AdmissionDecision(false, reason);
        if (_lastLogged.Count >= MaxTracked)
            _lastLogged.Clear();
        _lastLogged[key] = now;
        logger.LogWarning("Relay admission denied ({Reason}) on a relay of {RelayOwner} for {NodeKey} from {Source}",
            reason, relayOwner, Truncate(nodeKey), Truncate(source));
        return new AdmissionDecision(false, reason);
    }

    private static string? Truncate(string? value) => value is { Length: > 80 } ? value[..80] : value;
}
