using Derp.Serials.Api.Infrastructure;
using Derp.Serials.Api.Services;
using Derp.ServiceDefaults.Redis;
using Microsoft.Extensions.Options;

namespace Derp.Serials.Api.Apis;

/// <summary>The dependencies of the serials endpoints, bundled for <c>[AsParameters]</c>.</summary>
public sealed record SerialsServices(
    SerialsContext Db,
    IRateLimiter RateLimiter,
    IOptions<SerialsOptions> Options,
    TimeProvider Clock,
    ILogger<SerialsServices> Logger);

public static class SerialProblemCodes
{
    public const string SerialNotFound = "serial_not_found";
    public const string SerialAlreadyUsed = "serial_already_used";
    public const string SerialExpired = "serial_expired";
    public const string SerialDisabled = "serial_disabled";
    public const string SerialWrongKind = "serial_wrong_kind";
    public const string SerialInUse = "serial_in_use";
    public const string RedeemRateLimited = "redeem_rate_limited";
    public const string NotALicence = "not_a_licence";
    public const string PlanNotFound = "plan_not_found";
    public const string PlanRetired = "plan_retired";
    public const string DistributorNotFound = "distributor_not_found";
    public const string BatchNotFound = "batch_not_found";
}
