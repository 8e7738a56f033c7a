using Derp.Serials.Api.Services;
using Derp.Contracts.Serials;
using Derp.Serials.Api.Model;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Derp.Serials.Api.Apis;

public static class RedeemApi
{
    public static RouteGroupBuilder MapRedeemApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("api/serials").WithTags("Redemption").RequireAuthorization();
        api.MapPost("redeem", Redeem).Validate<RedeemRequest>();
        return api;
    }

    /// <summary>
    /// Marks the serial used by the caller exactly once: one conditional UPDATE decides among any number of concurrent
    /// attempts, and the use log and the SerialRedeemed outbox row commit in the same transaction.
    /// </summary>
    public static async Task<Results<Ok<RedeemResponse>, ProblemHttpResult, RetryAfterProblem>> Redeem(
        RedeemRequest request, HttpContext http, [AsParameters] SerialsServices services, CancellationToken cancellationToken)
    {
        var options = services.Options.Value;
        var userId = http.User.UserId();
        var userKey = $"redeem-fail:user:{userId}";
        var ipKey = $"redeem-fail:ip:{http.ClientIp()}";

        // Only failures count, so a renter redeeming many real serials is never slowed down; guessing is.
        foreach (var (key, limit) in new[] { (userKey, options.RedeemFailuresPerUser), (ipKey, options.RedeemFailuresPerIp) })
        {
            var state = await services.RateLimiter.PeekAsync(key, limit);
            if (!state.Allowed)
            {
                SerialsMetrics.Redeemed("unknown", SerialProblemCodes.RedeemRateLimited);
                return ApiProblems.RetryLater(429, SerialProblemCodes.RedeemRateLimited, "Too many failed redemptions. Try again later.", state.RetryAfter);
            }
        }

        var outcome = await TryRedeemAsync(request, http, userId, services, cancellationToken);
        SerialsMetrics.Redeemed(outcome.Kind, outcome.Result is ProblemHttpResult refused
            ? refused.ProblemDetails.Extensions.TryGetValue("code", out var code) ? Convert.ToString(code, System.Globalization.CultureInfo.InvariantCulture) ?? "refused" : "refused"
            : "redeemed");
        if (outcome.Result is not Ok<RedeemResponse> && outcome.CountsAsFailure)
        {
            await services.RateLimiter.HitAsync(userKey, options.RedeemFailuresPerUser, options.RedeemFailureWindow);
            await services.RateLimiter.HitAsync(ipKey, options.RedeemFailuresPerIp, options.RedeemFailureWindow);
        }
        return outcome.Result switch
        {
            Ok<RedeemResponse> ok => ok,
            ProblemHttpResult problem => problem,
            _ => throw new InvalidOperationException("Unexpected redemption result."),
        };
    }

    /// <summary>The answer, whether it counts against the guessing limit, and the serial's kind for the metrics.</summary>
    private sealed record Outcome(IResult Result, bool CountsAsFailure, string Kind = "unknown");

    private static async Task<Outcome> TryRedeemAsync(
        RedeemRequest request, HttpContext http, Guid userId, SerialsServices services, CancellationToken cancellationToken)
    {
        var db = services.Db;
        var now = services.Clock.GetUtcNow();
        var code = Services.SerialCodes.Normalize(request.Code);

        var serial = await db.Serials.AsNoTracking().SingleOrDefaultAsync(s => s.FullCode == code, cancellationToken);
        if (serial is null)
            return new(ApiProblems.NotFound(SerialProblemCodes.SerialNotFound, "No serial has this code."), true);
        if (!SerialKinds.Redeemable.Contains(serial.Kind))
            return new(ApiProblems.Problem(422, SerialProblemCodes.SerialWrongKind, $"A {serial.Kind} serial cannot be redeemed here."), false, serial.Kind);
        if (Refusal(serial, now) is { } refusal)
            return new(refusal, false, serial.Kind);

        var useType = SerialKinds.UseTypeOf(serial.Kind);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await db.Serials
            .Where(s => s.Id == serial.Id && s.Status == SerialStatuses.Unused && s.ValidUntil > now)
            .ExecuteUpdateAsync(s => s
                .SetProperty(x => x.Status, SerialStatuses.Used)
                .SetProperty(x => x.UserId, userId)
                .SetProperty(x => x.FirstUsedAt, now), cancellationToken);
        if (claimed == 0)
        {
            // Another request won the race (or the serial changed since it was read): say what it is now.
            await transaction.RollbackAsync(cancellationToken);
            var current = await db.Serials.AsNoTracking().SingleAsync(s => s.Id == serial.Id, cancellationToken);
            return new(Refusal(current, now) ?? ApiProblems.Conflict(SerialProblemCodes.SerialAlreadyUsed, "This serial has already been used."), false, serial.Kind);
        }

        // Balance and donation uses create a record in finance; its id is chosen here so the use-log row points at it
        // in this transaction (seed 004), and finance creates it under that id exactly once.
        Guid? financeRecordId = serial.Kind is SerialKinds.Balance or SerialKinds.Donation ? Guid.CreateVersion7() : null;
        var (relatedType, relatedId) = serial.Kind switch
        {
            SerialKinds.Balance => (RelatedTypes.LedgerEntry, financeRecordId),
            SerialKinds.Donation => (RelatedTypes.Donation, financeRecordId),
            _ when serial.PlanId is not null => (RelatedTypes.Plan, serial.PlanId),
            _ => ((string?)null, (Guid?)null),
        };
        var donation = serial.Kind == SerialKinds.Donation;
        db.UseLogs.Add(new SerialUseLog
        {
            SerialId = serial.Id,
            BatchId = serial.BatchId,
            UserId = userId,
            Action = SerialActions.Redeem,
            UseType = useType,
            RelatedId = relatedId?.ToString(),
            RelatedType = relatedType,
            Ip = http.ClientIp(),
            UserAgent = http.UserAgent(),
            Remark = serial.Kind,
            CreatedAt = now,
        });
        db.AddIntegrationEvent(new SerialRedeemed(serial.Id, serial.FullCode, userId, serial.Kind, useType, serial.PlanId, serial.DurationDays,
            serial.DurationHours, serial.TrafficQuotaGb, serial.ValueCents, serial.DistributorId, now)
        {
            ClientIp = http.ClientIp(),
            RelatedId = financeRecordId,
            DonorName = donation ? NullIfBlank(request.DonorName) : null,
            DonationMessage = donation ? NullIfBlank(request.Message) : null,
            DonationAnonymous = donation && request.Anonymous,
        }, services.Clock);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        services.Logger.LogInformation("User {UserId} redeemed serial {SerialId} ({Kind})", userId, serial.Id, serial.Kind);
        return new(TypedResults.Ok(new RedeemResponse(serial.Id, serial.FullCode, serial.Kind, useType, serial.PlanId, serial.DurationDays,
            serial.TrafficQuotaGb, serial.ValueCents, now, financeRecordId)), false, serial.Kind);
    }

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static ProblemHttpResult? Refusal(Serial serial, DateTimeOffset now) => serial.Status switch
    {
        SerialStatuses.Disabled => ApiProblems.Conflict(SerialProblemCodes.SerialDisabled, "This serial has been disabled."),
        SerialStatuses.Expired => ApiProblems.Problem(410, SerialProblemCodes.SerialExpired, "This serial has expired."),
        SerialStatuses.Unused when serial.ValidUntil <= now => ApiProblems.Problem(410, SerialProblemCodes.SerialExpired, "This serial has expired."),
        SerialStatuses.Used or SerialStatuses.Active => ApiProblems.Conflict(SerialProblemCodes.SerialAlreadyUsed, "This serial has already been used."),
        _ => null,
    };
}
