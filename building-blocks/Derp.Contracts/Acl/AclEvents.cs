namespace Derp.Contracts.Acl;

// Owned by the acl service (issue 6). Defined here first because the users service consumes it.

/// <summary>A new policy version exists for a renter (trigger: provisioned, rotation, admin, host_removed).</summary>
public sealed record AclGenerated(Guid UserId, int Version, string Trigger, DateTimeOffset GeneratedAt, DateTimeOffset ValidUntil);
