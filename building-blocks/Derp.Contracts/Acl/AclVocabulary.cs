namespace Derp.Contracts.Acl;

// Vocabularies: the strings this service stores, publishes and serves. They live here, beside the events, so every
// service and the web portal (web/src/lib/vocabulary.generated.ts, `make vocabulary`) use one definition (ADR-013).

public static class PolicyFormats
{
    public const string Tailscale = "tailscale";
    public const string Headscale = "headscale";

    public static readonly IReadOnlyList<string> All = [Tailscale, Headscale];
}

public static class GenerationTriggers
{
    public const string Provisioned = "provisioned";
    public const string Rotation = "rotation";
    public const string Admin = "admin";
    public const string HostRemoved = "host_removed";

    public static readonly IReadOnlyList<string> All = [Provisioned, Rotation, Admin, HostRemoved];
}

/// <summary>Why relay admission refused a client (the <c>reason</c> label of <c>derp_acl_admissions_total</c>).</summary>
public static class DenialReasons
{
    public const string BadToken = "bad_token";
    public const string MalformedKey = "malformed_key";
    public const string UnknownKey = "unknown_key";
    public const string OtherRenter = "other_renter";
    public const string RentalInactive = "rental_inactive";
    public const string OverQuota = "over_quota";

    public static readonly IReadOnlyList<string> All = [BadToken, MalformedKey, UnknownKey, OtherRenter, RentalInactive, OverQuota];
}
