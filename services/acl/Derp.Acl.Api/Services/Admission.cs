using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Derp.Contracts.Acl;
using Derp.ServiceDefaults.Security;
using Microsoft.Extensions.Options;

namespace Derp.Acl.Api.Services;

public sealed record AdmissionDecision(bool Allow, string Reason);

/// <summary>
/// derper's <c>-verify-client-url</c> decision: a relay admits a node key only when it is a registered device of the
/// relay's own renter and that renter's rental is active and within quota. Decided from <see cref="AdmissionView"/>
/// (memory kept fresh by the change feed, ADR-028); the rental's end is compared with the clock on every call.
/// </summary>
public sealed partial class AdmissionService(AdmissionView view, TimeProvider clock, AdmissionSecret secret, DenialLog denials)
{
    public async Task<AdmissionDecision> DecideAsync(string? token, string? nodePublic, string? source, CancellationToken cancellationToken)
    {
        if (!AdmissionTokens.TryRead(secret.Value, token, out var relayOwner, out _))
            return denials.Deny(DenialReasons.BadToken, null, nodePublic, source);
        var nodeKey = nodePublic?.ToLowerInvariant();
        if (nodeKey is null || !NodeKey().IsMatch(nodeKey))
            return denials.Deny(DenialReasons.MalformedKey, relayOwner, nodePublic, source);

        var found = await view.GetAsync(nodeKey, cancellationToken);
        if (found.UserId is null || !found.RenterKnown)
            return denials.Deny(DenialReasons.UnknownKey, relayOwner, nodeKey, source);
        if (found.UserId != relayOwner)
            return denials.Deny(DenialReasons.OtherRenter, relayOwner, nodeKey, source);
        if (!found.IsEntitled(clock.GetUtcNow()))
            return denials.Deny(DenialReasons.RentalInactive, relayOwner, nodeKey, source);
        if (found.OverQuota)
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
