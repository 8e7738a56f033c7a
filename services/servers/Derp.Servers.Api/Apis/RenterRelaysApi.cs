using Derp.Contracts.Servers;
using Derp.Servers.Api.Model;
using Derp.Servers.Api.Services;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Derp.Servers.Api.Apis;

/// <summary>
/// The renter's own view of their relays (the portal's "My relays" home): where they run, whether they answer, how far
/// a relay being set up has come, and the traffic they moved per day. A renter sees only their own; an admin may
/// name any renter with <c>?userId=</c> (the user detail page).
/// </summary>
public static class RenterRelaysApi
{
    public const int MaxTrafficDays = 366;

    public static void MapRenterRelaysApi(this IEndpointRouteBuilder routes)
    {
        var my = routes.MapGroup("api/servers/my").WithTags("My relays").RequireAuthorization();
        my.MapGet("relays", GetMyRelays);
        my.MapGet("traffic", GetMyTraffic);
    }

    public static async Task<Results<Ok<MyRelaysResponse>, ProblemHttpResult>> GetMyRelays(HttpContext http, [AsParameters] ServersServices services,
        IOptions<ServersOptions> options, Guid? userId = null, CancellationToken cancellationToken = default)
    {
        if (Whose(http, userId) is not { } owner)
            return OnlyYourOwn();
        var renter = await services.Db.Renters.AsNoTracking().SingleOrDefaultAsync(r => r.UserId == owner, cancellationToken);
        var containers = await services.Db.Containers.AsNoTracking().Include(c => c.Server)
            .Where(c => c.UserId == owner && ContainerStates.Live.Contains(c.State))
            .ToListAsync(cancellationToken);
        var wanted = options.Value.RelaysPerRenter;
        var announced = renter?.AnnouncedRelays?.Split(';').ToHashSet() ?? [];
        var relays = containers.OrderBy(c => c.Server!.RegionCode).ThenBy(c => c.CreatedAt)
            .Select(c => new MyRelay(c.Id, c.Server!.RegionCode, c.Server.RegionName, c.Server.HostName, c.Server.PublicIp, c.DerpPort, c.StunPort,
                c.State, c.StateSince, c.State == ContainerStates.Running ? c.ProbeOk : null, c.State == ContainerStates.Running ? c.ProbeLatencyMs : null,
                c.ProbedAt, RelayProgress.Steps(c, announced.Contains($"{c.Id:N}"))))
            .ToList();
        var (state, stopReason) = RelayProgress.SetState(renter, relays.Select(r => r.State).ToList(), wanted);
        return TypedResults.Ok(new MyRelaysResponse(owner, state, stopReason, wanted, renter?.ExpiresAt, renter?.QuotaBytes, renter?.PeriodBytes ?? 0,
            renter?.PeriodStartedAt, relays));
    }

    public static async Task<Results<Ok<MyTrafficResponse>, ProblemHttpResult, ValidationProblem>> GetMyTraffic(HttpContext http,
        [AsParameters] ServersServices services, Guid? userId = null, int days = 30, CancellationToken cancellationToken = default)
    {
        if (days is < 1 or > MaxTrafficDays)
            return ApiProblems.Validation("days", $"Days must be between 1 and {MaxTrafficDays}.");
        if (Whose(http, userId) is not { } owner)
            return OnlyYourOwn();
        var today = DateOnly.FromDateTime(services.Clock.GetUtcNow().UtcDateTime);
        var first = today.AddDays(1 - days);
        var stored = await services.Db.RenterTrafficDays.AsNoTracking().Where(t => t.UserId == owner && t.Day >= first && t.Day <= today)
            .ToDictionaryAsync(t => t.Day, t => t.Bytes, cancellationToken);
        // Every day of the range, quiet ones as zero: a chart of a young rental still has its axis.
        var series = Enumerable.Range(0, days).Select(i => first.AddDays(i)).Select(d => new TrafficDay(d, stored.GetValueOrDefault(d))).ToList();
        var renter = await services.Db.Renters.AsNoTracking().SingleOrDefaultAsync(r => r.UserId == owner, cancellationToken);
        return TypedResults.Ok(new MyTrafficResponse(owner, renter?.QuotaBytes, renter?.PeriodBytes ?? 0, renter?.PeriodStartedAt, series));
    }

    /// <summary>The renter asked about: oneself, or anyone for an admin; null when a non-admin names someone else.</summary>
    private static Guid? Whose(HttpContext http, Guid? userId)
    {
        var self = http.User.UserId();
        return userId is null || userId == self ? self : http.User.IsAdmin() ? userId : null;
    }

    private static ProblemHttpResult OnlyYourOwn() =>
        ApiProblems.Problem(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, "You can see only your own relays.");
}

/// <summary>How far a relay and a renter's relay set have come (pure rules, unit-tested).</summary>
public static class RelayProgress
{
    public static IReadOnlyList<ProvisioningStepItem> Steps(RelayContainer container, bool announced)
    {
        var created = container.DockerId is not null;
        var running = container.State == ContainerStates.Running;
        return
        [
            new(ProvisioningSteps.Placed, true),
            new(ProvisioningSteps.Created, created),
            new(ProvisioningSteps.Started, running),
            new(ProvisioningSteps.Announced, running && announced),
            new(ProvisioningSteps.Answering, running && container.ProbeOk == true),
        ];
    }

    /// <summary>The set's state, and why it is stopped when it is.</summary>
    public static (string State, string? StopReason) SetState(Renter? renter, IReadOnlyList<string> relayStates, int wanted)
    {
        if (renter is null || renter.RentalId is null)
            return (RelaySetStates.None, null);
        if (renter.Deregistered)
            return (RelaySetStates.Stopped, RelayStopReasons.Closed);
        if (!renter.RentalActive)
            return (RelaySetStates.Stopped, RelayStopReasons.Expired);
        if (renter.OverQuota)
            return (RelaySetStates.Stopped, RelayStopReasons.OverQuota);
        var running = relayStates.Count(s => s == ContainerStates.Running);
        return running >= wanted && relayStates.All(s => s == ContainerStates.Running)
            ? (RelaySetStates.Running, null)
            : (RelaySetStates.Provisioning, null);
    }
}

public sealed record ProvisioningStepItem(string Step, bool Done);

public sealed record MyRelay(Guid Id, string RegionCode, string RegionName, string HostName, string PublicIp, int DerpPort, int StunPort, string State,
    DateTimeOffset StateSince, bool? ProbeOk, double? ProbeLatencyMs, DateTimeOffset? ProbedAt, IReadOnlyList<ProvisioningStepItem> Steps);

/// <summary>The renter's relays; quota and period bytes are the servers service's own count (null quota: unlimited).</summary>
public sealed record MyRelaysResponse(Guid UserId, string State, string? StopReason, int RelaysWanted, DateTimeOffset? ExpiresAt, long? QuotaBytes,
    long PeriodBytes, DateTimeOffset? PeriodStartedAt, IReadOnlyList<MyRelay> Relays);

public sealed record TrafficDay(DateOnly Day, long Bytes);

public sealed record MyTrafficResponse(Guid UserId, long? QuotaBytes, long PeriodBytes, DateTimeOffset? PeriodStartedAt, IReadOnlyList<TrafficDay> Days);
