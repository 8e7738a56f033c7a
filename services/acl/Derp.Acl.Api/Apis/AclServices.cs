using Derp.Acl.Api.Infrastructure;
using Derp.Acl.Api.Services;

namespace Derp.Acl.Api.Apis;

/// <summary>The dependencies of the acl endpoints, bundled for <c>[AsParameters]</c>.</summary>
public sealed record AclServices(AclContext Db, PolicyGenerator Generator, IIpLocationResolver Locations, TimeProvider Clock);

public static class AclProblemCodes
{
    public const string PolicyNotFound = "policy_not_found";
    public const string RentalNotActive = "rental_not_active";
    public const string RenterDeregistered = "renter_deregistered";
}
