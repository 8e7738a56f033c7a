using Derp.Contracts.Users;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Problems;
using Derp.Users.Api.Model;
using Derp.Users.Api.Services;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Derp.Users.Api.Apis;

public static class RentalsApi
{
    public static void MapRentalsApi(this IEndpointRouteBuilder routes)
    {
        var me = routes.MapGroup("api/users/me").WithTags("My rental and devices").RequireAuthorization();
        me.MapGet("rental", GetMyRental);
        me.MapGet("devices", ListDevices);
        me.MapPost("devices", RegisterDevice).Validate<RegisterDeviceRequest>();
        me.MapDelete("devices/{id:guid}", RemoveDevice);
        me.MapDelete("", Deregister).Validate<DeregisterRequest>();

        var admin = routes.MapGroup("api/users").WithTags("Rentals (admin)").RequireAuthorization(Policies.Admin);
        admin.MapGet("rentals", ListRentals);
        admin.MapGet("emails", ListEmails);
        admin.MapGet("{id:guid}/rental", GetRental);
        admin.MapPost("{id:guid}/rental/extend", ExtendRental);
    }

    public static async Task<Results<Ok<RentalResponse>, ProblemHttpResult>> GetMyRental(HttpContext http, [AsParameters] UsersServices services) =>
        await RentalOf(http.User.UserId(), services);

    public static async Task<Results<Ok<RentalResponse>, ProblemHttpResult>> GetRental(Guid id, [AsParameters] UsersServices services) =>
        await RentalOf(id, services);

    /// <summary>An admin extension reaches at most this far: a typo (2206 for 2026) must not give a renter centuries.</summary>
    public const int MaxExtensionYears = 10;

    /// <summary>Requirements §2.3: an admin renews a user up to a date.</summary>
    public static async Task<Results<Ok<RentalResponse>, ProblemHttpResult, ValidationProblem>> ExtendRental(
        Guid id, ExtendRentalRequest request, HttpContext http, RentalLifecycle rentals, [AsParameters] UsersServices services,
        CancellationToken cancellationToken)
    {
        var db = services.Db;
        var now = services.Clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
            return ApiProblems.NotFound(UserProblemCodes.UserNotFound, "No such user.");
        if (user.Status != UserStatuses.Active)
            return ApiProblems.Conflict(UserProblemCodes.AccountDeregistered, "This account has been closed.");
        var current = await db.Rentals.AsNoTracking().SingleOrDefaultAsync(r => r.UserId == id, cancellationToken);
        if (request.Until <= Rental.PeriodStart(current, now))
            return ApiProblems.Validation("until", "The date must be after the current expiry (or now, for an expired or new rental).");
        if (request.Until > now.AddYears(MaxExtensionYears))
            return ApiProblems.Validation("until", $"The date must be at most {MaxExtensionYears} years from now.");

        var actorId = http.User.UserId();
        var rental = await rentals.AddPeriodAsync(user, new NewPeriod(RentalSources.Admin, null, null, null, actorId, http.ClientIp()), _ => request.Until, cancellationToken);
        db.Audit(http, services.Clock, AuditActions.RentalExtended, id, actorId, $"until {request.Until:O}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var periods = await db.RentalPeriods.AsNoTracking().Where(p => p.RentalId == rental.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(RentalResponse.From(rental, periods, now));
    }

    public static async Task<Results<Ok<PagedResponse<RentalListItem>>, ValidationProblem>> ListRentals(
        [AsParameters] UsersServices services, string? status = null, int? expiringWithinDays = null, string? q = null, int page = 1, int pageSize = 50)
    {
        if (Paging.Check(page, pageSize) is { } invalid)
            return invalid;
        if (status is not null && !RentalStatuses.All.Contains(status))
            return ApiProblems.Validation("status", "Status must be active, expired or closed.");
        if (expiringWithinDays is < 0 or > 3650)
            return ApiProblems.Validation("expiringWithinDays", "Give a number of days between 0 and 3650.");

        var now = services.Clock.GetUtcNow();
        var query = services.Db.Rentals.AsNoTracking();
        if (status is not null)
            query = query.Where(r => r.Status == status);
        if (expiringWithinDays is { } days)
        {
            var until = now.AddDays(days);
            query = query.Where(r => r.Status == RentalStatuses.Active && r.ExpiresAt <= until);
        }
        // A part of the renter's email or username, as on the users list.
        if (PeopleSearch.Pattern(q) is { } pattern)
            query = query.Where(r => services.Db.Users.Any(u => u.Id == r.UserId
                && (EF.Functions.Like(u.NormalizedEmail, pattern, "\\") || EF.Functions.Like(u.NormalizedUsername, pattern, "\\"))));
        var total = await query.CountAsync();
        var items = await query.OrderBy(r => r.ExpiresAt).ThenBy(r => r.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Join(services.Db.Users, r => r.UserId, u => u.Id, (r, u) =>
                new RentalListItem(r.Id, r.UserId, u.Email, u.Username, r.Status, r.ExpiresAt, r.TrafficQuotaGb, r.TrafficUsedBytes))
            .ToListAsync();
        return TypedResults.Ok(new PagedResponse<RentalListItem>(items, total, page, pageSize));
    }

    public static async Task<Results<Ok<PagedResponse<EmailLogResponse>>, ValidationProblem>> ListEmails(
        [AsParameters] UsersServices services, Guid? userId = null, string? status = null, string? q = null, int page = 1, int pageSize = 50)
    {
        if (Paging.Check(page, pageSize) is { } invalid)
            return invalid;
        var query = services.Db.OutgoingEmails.AsNoTracking();
        if (userId is not null)
            query = query.Where(m => m.UserId == userId);
        // A part of the recipient's address (the mail log keeps the address it wrote to).
        if (PeopleSearch.Pattern(q) is { } pattern)
            query = query.Where(m => EF.Functions.Like(m.Recipient.ToLower(), pattern, "\\"));
        if (status is not null)
            query = query.Where(m => m.Status == status);
        var total = await query.CountAsync();
        var items = await query.OrderByDescending(m => m.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(m => new EmailLogResponse(m.Id, m.UserId, m.Recipient, m.Template, m.Subject, m.Status, m.Attempts, m.LastError, m.CreatedAt, m.SentAt))
            .ToListAsync();
        return TypedResults.Ok(new PagedResponse<EmailLogResponse>(items, total, page, pageSize));
    }

    public static async Task<Ok<List<DeviceResponse>>> ListDevices(HttpContext http, [AsParameters] UsersServices services)
    {
        var userId = http.User.UserId();
        var devices = await services.Db.Devices.AsNoTracking().Where(d => d.UserId == userId).OrderBy(d => d.CreatedAt).ToListAsync();
        return TypedResults.Ok(devices.Select(DeviceResponse.From).ToList());
    }

    public static async Task<Results<Created<DeviceResponse>, ProblemHttpResult>> RegisterDevice(
        RegisterDeviceRequest request, HttpContext http, [AsParameters] UsersServices services)
    {
        var db = services.Db;
        var userId = http.User.UserId();
        var nodeKey = request.NodeKey.Trim().ToLowerInvariant();
        var limit = services.Options.Value.MaxDevicesPerRenter;
        await using var transaction = await db.Database.BeginTransactionAsync();
        // Lock the renter so two registrations at once cannot both pass the limit.
        var user = await db.Users.FromSqlInterpolated($"SELECT * FROM users WHERE id = {userId} FOR UPDATE").SingleAsync();
        // The token check refuses a closed account within seconds of closure; this covers those seconds.
        if (user.Status != UserStatuses.Active)
            return ApiProblems.Problem(403, UserProblemCodes.AccountDeregistered, "This account has been closed.");
        if (await db.Devices.CountAsync(d => d.UserId == userId) >= limit)
            return ApiProblems.Conflict(UserProblemCodes.DeviceLimitReached, $"A rental allows at most {limit} devices. Remove one first.");
        if (await db.Devices.AnyAsync(d => d.NodeKey == nodeKey))
            return ApiProblems.Conflict(UserProblemCodes.DeviceExists, "This node key is already registered.");

        var now = services.Clock.GetUtcNow();
        var device = new Device { Id = Guid.CreateVersion7(), UserId = userId, Name = request.Name.Trim(), MachineCode = request.MachineCode.Trim(), NodeKey = nodeKey, CreatedAt = now };
        db.Devices.Add(device);
        db.AddIntegrationEvent(new DeviceRegistered(device.Id, userId, nodeKey, device.Name, device.MachineCode, now), services.Clock);
        db.Audit(http, services.Clock, AuditActions.DeviceRegistered, userId, detail: $"{device.Name} {nodeKey[..16]}…");
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return ApiProblems.Conflict(UserProblemCodes.DeviceExists, "This node key is already registered.");
        }
        await transaction.CommitAsync();
        return TypedResults.Created($"/api/users/me/devices/{device.Id}", DeviceResponse.From(device));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveDevice(Guid id, HttpContext http, [AsParameters] UsersServices services)
    {
        var db = services.Db;
        var userId = http.User.UserId();
        // Another renter's device is "not found", so ids cannot be probed.
        var device = await db.Devices.SingleOrDefaultAsync(d => d.Id == id && d.UserId == userId);
        if (device is null)
            return ApiProblems.NotFound(UserProblemCodes.DeviceNotFound, "No such device.");
        db.Devices.Remove(device);
        db.AddIntegrationEvent(new DeviceRemoved(device.Id, userId, device.NodeKey, services.Clock.GetUtcNow()), services.Clock);
        db.Audit(http, services.Clock, AuditActions.DeviceRemoved, userId, detail: device.Name);
        await db.SaveChangesAsync();
        return TypedResults.NoContent();
    }

    /// <summary>Self-service account closure, confirmed with the password: the same effects as the 30-day job.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Deregister(
        [FromBody] DeregisterRequest request, HttpContext http, RentalLifecycle rentals, IAccountSettlement settlement,
        [AsParameters] UsersServices services, CancellationToken cancellationToken)
    {
        var db = services.Db;
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == http.User.UserId(), cancellationToken);
        if (user is null || user.Status != UserStatuses.Active)
            return ApiProblems.NotFound(UserProblemCodes.UserNotFound, "The account no longer exists.");
        if (AuthApi.VerifyPassword(user, request.Password) == Microsoft.AspNetCore.Identity.PasswordVerificationResult.Failed)
            return ApiProblems.Problem(400, UserProblemCodes.InvalidCurrentPassword, "The password is wrong.");
        // Closing by hand asks finance the same question the 30-day job asks: a balance or an open order is settled
        // first (refunded or used), never silently forfeited.
        if (await settlement.CheckAsync(user.Id, cancellationToken) is { Settled: false } unsettled)
            return ApiProblems.Conflict(UserProblemCodes.AccountNotSettled,
                "The account still has money or an open order. Use or refund the balance and finish or cancel open orders first.", unsettled.Detail);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await rentals.DeregisterAsync(user, "closed by the user", user.Id, http, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<RentalResponse>, ProblemHttpResult>> RentalOf(Guid userId, UsersServices services)
    {
        var rental = await services.Db.Rentals.AsNoTracking().SingleOrDefaultAsync(r => r.UserId == userId);
        if (rental is null)
            return ApiProblems.NotFound(UserProblemCodes.NoRental, "No rental yet: redeem a serial to start one.");
        var periods = await services.Db.RentalPeriods.AsNoTracking().Where(p => p.RentalId == rental.Id).ToListAsync();
        return TypedResults.Ok(RentalResponse.From(rental, periods, services.Clock.GetUtcNow()));
    }
}
