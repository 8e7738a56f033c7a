using System.Text.RegularExpressions;
using Derp.Acl.Api.Model;
using Derp.Contracts.Acl;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Derp.Acl.Api.Apis;

/// <summary>
/// A renter's own policy. Every route reads the caller's id from the token, never from the URL, so there is no id
/// to probe: another renter's policy simply does not exist from here.
/// </summary>
public static partial class PolicyApi
{
    public static void MapPolicyApi(this IEndpointRouteBuilder routes)
    {
        var me = routes.MapGroup("api/acl/me").WithTags("My policy").RequireAuthorization();
        me.MapGet("", GetMyPolicy);
        me.MapGet("versions", ListMyVersions);
        me.MapGet("download", DownloadMyPolicy);
    }

    public static async Task<Results<Ok<PolicyResponse>, ProblemHttpResult, ValidationProblem>> GetMyPolicy(
        HttpContext http, [AsParameters] AclServices services, string format = PolicyFormats.Tailscale, int? version = null,
        CancellationToken cancellationToken = default)
    {
        if (CheckFormat(format) is { } invalid)
            return invalid;
        var (found, problem) = await EntitledVersionAsync(http.User.UserId(), version, services, cancellationToken);
        return found is null ? problem! : TypedResults.Ok(PolicyResponse.From(found.Value.Version, format, found.Value.Current));
    }

    public static async Task<Results<Ok<List<VersionSummary>>, ProblemHttpResult>> ListMyVersions(
        HttpContext http, [AsParameters] AclServices services, CancellationToken cancellationToken)
    {
        var userId = http.User.UserId();
        var renter = await services.Db.Renters.AsNoTracking().SingleOrDefaultAsync(r => r.UserId == userId, cancellationToken);
        if (renter is null || !renter.IsEntitled(services.Clock.GetUtcNow()))
            return NotEntitled();
        return TypedResults.Ok(await VersionsAsync(services, renter, cancellationToken));
    }

    /// <summary>Requirements §5.5: the download is logged with user, address, location, machine code, browser and version.</summary>
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult, ValidationProblem>> DownloadMyPolicy(
        HttpContext http, [AsParameters] AclServices services, string format = PolicyFormats.Tailscale, string? machineCode = null,
        int? version = null, CancellationToken cancellationToken = default)
    {
        if (CheckFormat(format) is { } invalid)
            return invalid;
        machineCode = string.IsNullOrWhiteSpace(machineCode) ? null : machineCode.Trim();
        if (machineCode is not null && !MachineCode().IsMatch(machineCode))
            return ApiProblems.Validation("machineCode", "A machine code has 1 to 128 letters, digits, '.', '_', ':' or '-'.");

        var userId = http.User.UserId();
        var (found, problem) = await EntitledVersionAsync(userId, version, services, cancellationToken);
        if (found is null)
            return problem!;
        var policy = found.Value.Version;
        var ip = http.ClientIp();
        services.Db.DownloadLog.Add(new DownloadLogEntry
        {
            UserId = userId,
            Version = policy.Version,
            Format = format,
            Ip = ip,
            Location = services.Locations.Locate(ip),
            MachineCode = machineCode,
            UserAgent = http.UserAgent(),
            DownloadedAt = services.Clock.GetUtcNow(),
        });
        await services.Db.SaveChangesAsync(cancellationToken);
        Services.AclMetrics.Downloads.Add(1, new KeyValuePair<string, object?>("format", format));

        var (fileName, contentType) = format == PolicyFormats.Headscale
            ? ($"derp-headscale-v{policy.Version}.yaml", "application/yaml")
            : ($"derp-tailscale-policy-v{policy.Version}.hujson", "application/hujson");
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(policy.Content(format)), contentType, fileName);
    }

    internal static ValidationProblem? CheckFormat(string format) =>
        PolicyFormats.All.Contains(format) ? null : ApiProblems.Validation("format", "Format must be tailscale or headscale.");

    internal static async Task<List<VersionSummary>> VersionsAsync(AclServices services, Renter renter, CancellationToken cancellationToken) =>
        await services.Db.PolicyVersions.AsNoTracking().Where(v => v.UserId == renter.UserId).OrderByDescending(v => v.Version)
            .Select(v => new VersionSummary(v.Version, v.Trigger, v.GeneratedAt, v.ValidUntil, v.Version == renter.CurrentVersion))
            .ToListAsync(cancellationToken);

    /// <summary>The requested (or current) version of a renter whose rental is active.</summary>
    private static async Task<((PolicyVersion Version, int Current)? Found, ProblemHttpResult? Problem)> EntitledVersionAsync(
        Guid userId, int? version, AclServices services, CancellationToken cancellationToken)
    {
        var renter = await services.Db.Renters.AsNoTracking().SingleOrDefaultAsync(r => r.UserId == userId, cancellationToken);
        if (renter is null || !renter.IsEntitled(services.Clock.GetUtcNow()))
            return (null, NotEntitled());
        var wanted = version ?? renter.CurrentVersion;
        var policy = await services.Db.PolicyVersions.AsNoTracking().SingleOrDefaultAsync(v => v.UserId == userId && v.Version == wanted, cancellationToken);
        return policy is null
            ? (null, ApiProblems.NotFound(AclProblemCodes.PolicyNotFound, version is null ? "Your policy is not ready yet: your relays are being set up." : "No such version."))
            : ((policy, renter.CurrentVersion), null);
    }

    private static ProblemHttpResult NotEntitled() =>
        ApiProblems.Problem(StatusCodes.Status403Forbidden, AclProblemCodes.RentalNotActive, "Your policy is available while your rental is active: redeem a serial to start or renew it.");

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$")]
    private static partial Regex MachineCode();
}
