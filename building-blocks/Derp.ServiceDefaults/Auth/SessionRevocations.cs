using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using Derp.Contracts.Users;
using MassTransit;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Derp.ServiceDefaults.Auth;

/// <summary>
/// Which access tokens have been ended before they expire (ADR-006): per account, the lowest session version still
/// valid; per session (refresh family), whether it was logged out. Kept in memory on every instance, fed by
/// <see cref="UserSessionsRevoked"/> on a queue of the instance's own, and rebuilt at start from the users service.
/// Entries are forgotten once every token they could refuse has expired anyway.
/// </summary>
public sealed class SessionRevocationCache(IOptions<JwtOptions> jwt)
{
    private readonly ConcurrentDictionary<Guid, AccountRevocation> _accounts = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _sessions = new();
    private long _nextPruneTicks;

    private sealed record AccountRevocation(int MinimumSessionVersion, DateTimeOffset RevokedAt);

    /// <summary>How long a revocation matters: the longest an access token issued before it can still be presented.</summary>
    public TimeSpan Retention => jwt.Value.AccessTokenLifetime + TimeSpan.FromMinutes(2);

    /// <summary>True once the snapshot from the users service has been applied (a new instance knows the recent past).</summary>
    public bool SnapshotLoaded { get; internal set; }

    public void Apply(UserSessionsRevoked revocation)
    {
        if (revocation.SessionId is { } session)
            _sessions.AddOrUpdate(session, revocation.RevokedAt, (_, at) => at > revocation.RevokedAt ? at : revocation.RevokedAt);
        if (revocation.MinimumSessionVersion > 0)
        {
            // Versions only grow, so applying events twice or out of order gives the same answer.
            _accounts.AddOrUpdate(revocation.UserId, new AccountRevocation(revocation.MinimumSessionVersion, revocation.RevokedAt),
                (_, known) => new AccountRevocation(Math.Max(known.MinimumSessionVersion, revocation.MinimumSessionVersion),
                    known.RevokedAt > revocation.RevokedAt ? known.RevokedAt : revocation.RevokedAt));
        }
        PruneNowAndThen();
    }

    /// <summary>Whether a token of <paramref name="userId"/> with this session version and session id has been ended.</summary>
    public bool IsRevoked(Guid userId, int sessionVersion, Guid? sessionId) =>
        (_accounts.TryGetValue(userId, out var account) && sessionVersion < account.MinimumSessionVersion)
        || (sessionId is { } session && _sessions.ContainsKey(session));

    private void PruneNowAndThen()
    {
        var now = TimeProvider.System.GetUtcNow();
        var next = Interlocked.Read(ref _nextPruneTicks);
        if (now.UtcTicks < next || Interlocked.CompareExchange(ref _nextPruneTicks, now.AddMinutes(1).UtcTicks, next) != next)
            return;
        var cutoff = now - Retention;
        foreach (var (user, account) in _accounts)
            if (account.RevokedAt < cutoff)
                _accounts.TryRemove(new KeyValuePair<Guid, AccountRevocation>(user, account));
        foreach (var (session, at) in _sessions)
            if (at < cutoff)
                _sessions.TryRemove(new KeyValuePair<Guid, DateTimeOffset>(session, at));
    }
}

public static class SessionClaims
{
    /// <summary>The account's session version when the token was issued; a missing claim counts as 0.</summary>
    public const string SessionVersion = "sv";

    /// <summary>The session (refresh-token family) the token belongs to.</summary>
    public const string SessionId = "sid";

    public const string SessionEndedCode = "session_ended";

    public static int SessionVersionOf(ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(SessionVersion), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : 0;

    public static Guid? SessionIdOf(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(SessionId), out var id) ? id : null;
}

/// <summary>The failure a JWT check reports when the token's session was ended; answered as 401 <c>session_ended</c>.</summary>
public sealed class SessionEndedException() : Exception("The session has ended.");

/// <summary>Hooks the cache into every service's JWT check.</summary>
public static class SessionCheck
{
    public static void AddSessionCheck(this JwtBearerOptions options)
    {
        options.Events ??= new JwtBearerEvents();
        options.Events.OnTokenValidated = context =>
        {
            var principal = context.Principal;
            if (principal is null || !Guid.TryParse(principal.FindFirstValue(AuthExtensions.SubjectClaim), out var userId))
                return Task.CompletedTask;
            var cache = context.HttpContext.RequestServices.GetRequiredService<SessionRevocationCache>();
            if (cache.IsRevoked(userId, SessionClaims.SessionVersionOf(principal), SessionClaims.SessionIdOf(principal)))
                context.Fail(new SessionEndedException());
            return Task.CompletedTask;
        };
        options.Events.OnChallenge = async context =>
        {
            if (context.AuthenticateFailure is not SessionEndedException)
                return;
            context.HandleResponse();
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\", error_description=\"The session has ended\"";
            var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context.HttpContext,
                ProblemDetails =
                {
                    Status = StatusCodes.Status401Unauthorized,
                    Title = "The session has ended: sign in again.",
                    Extensions = { ["code"] = SessionClaims.SessionEndedCode },
                },
            });
        };
    }
}

/// <summary>Where a starting instance learns the revocations announced before it listened.</summary>
public interface ISessionRevocationSnapshot
{
    Task<IReadOnlyList<UserSessionsRevoked>> SinceAsync(DateTimeOffset since, CancellationToken cancellationToken);
}

/// <summary>Asks the users service over the bus (any replica answers from the one users database).</summary>
/// <remarks>The bus is resolved when asked: a host without messaging (the gateway) registers this but never asks.</remarks>
public sealed class SessionRevocationSnapshotFromUsers(IServiceProvider services) : ISessionRevocationSnapshot
{
    public async Task<IReadOnlyList<UserSessionsRevoked>> SinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var client = services.GetRequiredService<IBus>().CreateRequestClient<RecentSessionRevocationsRequested>(RequestTimeout.After(s: 10));
        var response = await client.GetResponse<RecentSessionRevocations>(new RecentSessionRevocationsRequested(since), cancellationToken);
        return response.Message.Revocations;
    }
}

/// <summary>
/// Once the bus runs, gives this instance a queue of its own (auto-deleted with it) bound to
/// <see cref="UserSessionsRevoked"/>, so every instance hears every revocation (fan-out, not competing consumers);
/// then asks the users service for the revocations of the last minutes, retrying until it answers.
/// </summary>
public sealed class SessionRevocationsBusObserver(SessionRevocationCache cache, IServiceProvider services, IConfiguration configuration,
    IHostEnvironment environment, IHostApplicationLifetime lifetime, ILogger<SessionRevocationsBusObserver> logger) : IBusObserver
{
    public const string QueuePart = "-user-sessions-revoked-";

    public void PostCreate(IBus bus) { }
    public void CreateFaulted(Exception exception) { }
    public Task PreStart(IBus bus) => Task.CompletedTask;
    public Task StartFaulted(IBus bus, Exception exception) => Task.CompletedTask;
    public Task PreStop(IBus bus) => Task.CompletedTask;
    public Task PostStop(IBus bus) => Task.CompletedTask;
    public Task StopFaulted(IBus bus, Exception exception) => Task.CompletedTask;

    public Task PostStart(IBus bus, Task<BusReady> busReady)
    {
        var prefix = configuration["Messaging:EndpointPrefix"] ?? environment.ApplicationName;
        var queue = $"{prefix}{QueuePart}{Guid.NewGuid():N}".ToLowerInvariant();
        var handle = bus.ConnectReceiveEndpoint(queue, endpoint =>
        {
            if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                rabbit.AutoDelete = true;
                rabbit.Durable = false;
            }
            endpoint.Handler<UserSessionsRevoked>(context =>
            {
                cache.Apply(context.Message);
                return Task.CompletedTask;
            });
        });
        _ = LoadSnapshotAsync(handle, lifetime.ApplicationStopping);
        return Task.CompletedTask;
    }

    private async Task LoadSnapshotAsync(HostReceiveEndpointHandle handle, CancellationToken stopping)
    {
        var delay = TimeSpan.FromSeconds(2);
        var warned = false;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                // The queue is bound before the snapshot is taken, so nothing between the two is missed.
                await handle.Ready.WaitAsync(stopping);
                var since = TimeProvider.System.GetUtcNow() - cache.Retention;
                var revocations = await services.GetRequiredService<ISessionRevocationSnapshot>().SinceAsync(since, stopping);
                foreach (var revocation in revocations)
                    cache.Apply(revocation);
                cache.SnapshotLoaded = true;
                logger.LogInformation("Session revocations loaded: {Count}", revocations.Count);
                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Until users answers, only revocations announced since this instance started are known (ADR-006).
                if (!warned)
                    logger.LogWarning(e, "Session revocations not loaded yet; retrying");
                warned = true;
            }
            try { await Task.Delay(delay, stopping); }
            catch (OperationCanceledException) { return; }
            delay = TimeSpan.FromSeconds(Math.Min(30, delay.TotalSeconds * 2));
        }
    }
}
