using Derp.Contracts.Distribution;
using Derp.Distribution.Api.Infrastructure;
using Derp.Distribution.Api.Model;
using Derp.Distribution.Api.Services;
using Derp.ServiceDefaults.Audit;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Derp.Distribution.Api.Apis;

public sealed record ApplicationResponse(
    Guid Id,
    Guid UserId,
    string? Email,
    string Status,
    string ContactName,
    string Contact,
    string PayoutChannel,
    string PayoutAccountName,
    string PayoutAccount,
    bool HasPayoutQr,
    string? Remark,
    string? RejectionReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DecidedAt)
{
    public static ApplicationResponse From(DistributorApplication a) =>
        new(a.Id, a.UserId, a.Email, a.Status, a.ContactName, a.Contact, a.PayoutChannel, a.PayoutAccountName, a.PayoutAccount, a.PayoutQrImage is not null,
            a.Remark, a.RejectionReason, a.CreatedAt, a.DecidedAt);
}

public sealed record DistributorResponse(
    Guid UserId,
    string? Email,
    string TierCode,
    bool TierPinned,
    string Status,
    string ContactName,
    string Contact,
    string PayoutChannel,
    string PayoutAccountName,
    string PayoutAccount,
    bool HasPayoutQr,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static DistributorResponse From(Distributor d) =>
        new(d.UserId, d.Email, d.TierCode, d.TierPinned, d.Status, d.ContactName, d.Contact, d.PayoutChannel, d.PayoutAccountName, d.PayoutAccount,
            d.PayoutQrImage is not null, d.CreatedAt, d.UpdatedAt);
}

/// <summary>
/// Becoming a distributor (requirements §9): a signed-in user applies, an admin approves (the role follows through
/// <see cref="DistributorApproved"/>) or rejects; admins also appoint, suspend, reinstate and set tiers by hand. Every
/// admin action is audited in the same transaction as its change, and its event leaves through the outbox.
/// </summary>
public static class DistributorsApi
{
    private const int MaxPageSize = 200;

    public static IEndpointRouteBuilder MapDistributorsApi(this IEndpointRouteBuilder routes)
    {
        var signedIn = routes.MapGroup("api/distribution/applications").WithTags("Distributor applications").RequireAuthorization();
        signedIn.MapPost("", Apply).Validate<ApplicationRequest>();
        signedIn.MapGet("mine", Mine);

        var admin = routes.MapGroup("api/distribution").WithTags("Distributors (admin)").RequireAuthorization(Policies.Admin);
        admin.MapGet("applications", ListApplications);
        admin.MapGet("applications/{id:guid}/payout-qr", ApplicationQr);
        admin.MapPost("applications/{id:guid}/approve", Approve).Validate<ApproveApplicationRequest>();
        admin.MapPost("applications/{id:guid}/reject", Reject).Validate<DistributionReasonRequest>();
        admin.MapPost("distributors", Appoint).Validate<AppointRequest>();
        admin.MapGet("distributors", ListDistributors);
        admin.MapGet("distributors/{userId:guid}", GetDistributor);
        admin.MapGet("distributors/{userId:guid}/payout-qr", DistributorQr);
        admin.MapPost("distributors/{userId:guid}/suspend", Suspend).Validate<DistributionReasonRequest>();
        admin.MapPost("distributors/{userId:guid}/reinstate", Reinstate);
        admin.MapPut("distributors/{userId:guid}/tier", SetTier).Validate<SetTierRequest>();
        return routes;
    }

    public static async Task<Results<Created<ApplicationResponse>, ProblemHttpResult>> Apply(ApplicationRequest request, HttpContext http,
        DistributionContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        byte[]? image = null;
        string? contentType = null;
        if (!string.IsNullOrEmpty(request.PayoutQrBase64))
        {
            if (ImageUploads.ReadQr(request.PayoutQrBase64, request.PayoutQrContentType) is not { } qr)
                return ApiProblems.Problem(400, DistributionProblemCodes.PayoutQrInvalid, "The payout QR code must be a PNG or JPEG image of at most 512 KiB.",
                    "Send payoutQrBase64 as base64 of the image's bytes; payoutQrContentType, if given, must be image/png or image/jpeg and match them.");
            (image, contentType) = qr;
        }
        var userId = http.User.UserId();
        if (await db.Distributors.AnyAsync(d => d.UserId == userId && d.Status == DistributorStatuses.Active, cancellationToken))
            return AlreadyDistributor();
        if (await db.Applications.AnyAsync(a => a.UserId == userId && a.Status == ApplicationStatuses.Pending, cancellationToken))
            return ApplicationPending();

        var application = new DistributorApplication
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            Email = await db.KnownUsers.Where(u => u.UserId == userId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken),
            Status = ApplicationStatuses.Pending,
            ContactName = request.ContactName.Trim(),
            Contact = request.Contact.Trim(),
            PayoutChannel = request.PayoutChannel,
            PayoutAccountName = request.PayoutAccountName.Trim(),
            PayoutAccount = request.PayoutAccount.Trim(),
            PayoutQrImage = image,
            PayoutQrContentType = contentType,
            Remark = string.IsNullOrWhiteSpace(request.Remark) ? null : request.Remark.Trim(),
            CreatedAt = clock.GetUtcNow(),
        };
        db.Applications.Add(application);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Two applications at once: the partial unique index lets one stay pending.
            return ApplicationPending();
        }
        return TypedResults.Created($"/api/distribution/applications/mine", ApplicationResponse.From(application));
    }

    public static async Task<Ok<List<ApplicationResponse>>> Mine(HttpContext http, DistributionContext db, CancellationToken cancellationToken)
    {
        var userId = http.User.UserId();
        var applications = await db.Applications.AsNoTracking().Where(a => a.UserId == userId).OrderByDescending(a => a.CreatedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok(applications.Select(ApplicationResponse.From).ToList());
    }

    public static async Task<Results<Ok<PagedResponse<ApplicationResponse>>, ValidationProblem>> ListApplications(DistributionContext db,
        string? status = null, int page = 1, int pageSize = 20, CancellationToken cancellationToken = default)
    {
        if (Paging.Check(page, pageSize, MaxPageSize) is { } invalid)
            return invalid;
        if (status is not null && !ApplicationStatuses.All.Contains(status))
            return ApiProblems.Validation("status", $"status must be one of: {string.Join(", ", ApplicationStatuses.All)}.");
        var query = db.Applications.AsNoTracking();
        if (status is not null)
            query = query.Where(a => a.Status == status);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(a => a.CreatedAt).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return TypedResults.Ok(new PagedResponse<ApplicationResponse>(items.Select(ApplicationResponse.From).ToList(), total, page, pageSize));
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ApplicationQr(Guid id, DistributionContext db, CancellationToken cancellationToken)
    {
        var qr = await db.Applications.AsNoTracking().Where(a => a.Id == id && a.PayoutQrImage != null)
            .Select(a => new { a.PayoutQrImage, a.PayoutQrContentType }).SingleOrDefaultAsync(cancellationToken);
        return qr is null ? ApplicationNotFound() : TypedResults.File(qr.PayoutQrImage!, qr.PayoutQrContentType ?? "application/octet-stream");
    }

    /// <summary>Approves a pending application: the applicant becomes (or again becomes) an active distributor on the given tier, or the lowest.</summary>
    public static async Task<Results<Ok<DistributorResponse>, ProblemHttpResult, ValidationProblem>> Approve(Guid id, ApproveApplicationRequest request,
        HttpContext http, DistributionContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var tier = request.TierCode is null
            ? await db.Tiers.AsNoTracking().OrderBy(t => t.SortOrder).ThenBy(t => t.Code).FirstOrDefaultAsync(cancellationToken)
            : await db.Tiers.AsNoTracking().SingleOrDefaultAsync(t => t.Code == request.TierCode, cancellationToken);
        if (tier is null)
            return UnknownTier();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var application = await db.Applications.FromSql($"SELECT * FROM distributor_applications WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (application is null)
            return ApplicationNotFound();
        if (application.Status != ApplicationStatuses.Pending)
            return ApiProblems.Conflict(DistributionProblemCodes.ApplicationNotPending, $"The application is already {application.Status}.");
        var distributor = await LockDistributorAsync(db, application.UserId, cancellationToken);
        if (distributor?.Status == DistributorStatuses.Active)
            return AlreadyDistributor();

        var now = clock.GetUtcNow();
        var adminId = http.User.UserId();
        application.Status = ApplicationStatuses.Approved;
        application.DecidedBy = adminId;
        application.DecidedAt = now;
        if (distributor is null)
        {
            distributor = new Distributor
            {
                UserId = application.UserId, TierCode = tier.Code, Status = DistributorStatuses.Active, ContactName = "", Contact = "", PayoutChannel = "",
                PayoutAccountName = "", PayoutAccount = "", CreatedAt = now,
            };
            db.Distributors.Add(distributor);
        }
        distributor.Email = application.Email ?? distributor.Email;
        distributor.TierCode = tier.Code;
        distributor.TierPinned = request.TierCode is not null;
        distributor.Status = DistributorStatuses.Active;
        distributor.ContactName = application.ContactName;
        distributor.Contact = application.Contact;
        distributor.PayoutChannel = application.PayoutChannel;
        distributor.PayoutAccountName = application.PayoutAccountName;
        distributor.PayoutAccount = application.PayoutAccount;
        distributor.PayoutQrImage = application.PayoutQrImage;
        distributor.PayoutQrContentType = application.PayoutQrContentType;
        distributor.UpdatedAt = now;
        db.AddAudit(http, clock, DistributionAuditActions.ApplicationApproved, "application", id, new { application.UserId, tierCode = tier.Code });
        db.AddIntegrationEvent(new DistributorApproved(application.UserId, tier.Code, adminId, now), clock);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // An admin appointed the same user meanwhile.
            return AlreadyDistributor();
        }
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(DistributorResponse.From(distributor));
    }

    public static async Task<Results<Ok<ApplicationResponse>, ProblemHttpResult>> Reject(Guid id, DistributionReasonRequest request, HttpContext http,
        DistributionContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var application = await db.Applications.FromSql($"SELECT * FROM distributor_applications WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (application is null)
            return ApplicationNotFound();
        if (application.Status != ApplicationStatuses.Pending)
            return ApiProblems.Conflict(DistributionProblemCodes.ApplicationNotPending, $"The application is already {application.Status}.");
        application.Status = ApplicationStatuses.Rejected;
        application.RejectionReason = request.Reason.Trim();
        application.DecidedBy = http.User.UserId();
        application.DecidedAt = clock.GetUtcNow();
        db.AddAudit(http, clock, DistributionAuditActions.ApplicationRejected, "application", id, new { application.UserId, reason = application.RejectionReason });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(ApplicationResponse.From(application));
    }

    /// <summary>An admin makes a user a distributor without an application. The tier given is set by hand (pinned).</summary>
    public static async Task<Results<Created<DistributorResponse>, ProblemHttpResult, ValidationProblem>> Appoint(AppointRequest request, HttpContext http,
        DistributionContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!await db.Tiers.AnyAsync(t => t.Code == request.TierCode, cancellationToken))
            return UnknownTier();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await LockDistributorAsync(db, request.UserId, cancellationToken) is { } existing)
            return existing.Status == DistributorStatuses.Active
                ? AlreadyDistributor()
                : ApiProblems.Conflict(DistributionProblemCodes.AlreadyDistributor, "This user is a suspended distributor.", "Reinstate them instead.");
        var now = clock.GetUtcNow();
        var adminId = http.User.UserId();
        var distributor = new Distributor
        {
            UserId = request.UserId,
            Email = await db.KnownUsers.Where(u => u.UserId == request.UserId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken),
            TierCode = request.TierCode,
            TierPinned = true,
            Status = DistributorStatuses.Active,
            ContactName = request.ContactName.Trim(),
            Contact = request.Contact.Trim(),
            PayoutChannel = request.PayoutChannel,
            PayoutAccountName = request.PayoutAccountName.Trim(),
            PayoutAccount = request.PayoutAccount.Trim(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Distributors.Add(distributor);
        db.AddAudit(http, clock, DistributionAuditActions.DistributorAppointed, "distributor", request.UserId, new { request.TierCode });
        db.AddIntegrationEvent(new DistributorApproved(request.UserId, request.TierCode, adminId, now), clock);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return AlreadyDistributor();
        }
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/distribution/distributors/{request.UserId}", DistributorResponse.From(distributor));
    }

    public static async Task<Results<Ok<PagedResponse<DistributorResponse>>, ValidationProblem>> ListDistributors(DistributionContext db,
        string? status = null, string? tierCode = null, int page = 1, int pageSize = 20, CancellationToken cancellationToken = default)
    {
        if (Paging.Check(page, pageSize, MaxPageSize) is { } invalid)
            return invalid;
        if (status is not null && !DistributorStatuses.All.Contains(status))
            return ApiProblems.Validation("status", $"status must be one of: {string.Join(", ", DistributorStatuses.All)}.");
        var query = db.Distributors.AsNoTracking();
        if (status is not null)
            query = query.Where(d => d.Status == status);
        if (tierCode is not null)
            query = query.Where(d => d.TierCode == tierCode);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(d => d.CreatedAt).ThenBy(d => d.UserId).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return TypedResults.Ok(new PagedResponse<DistributorResponse>(items.Select(DistributorResponse.From).ToList(), total, page, pageSize));
    }

    public static async Task<Results<Ok<DistributorResponse>, ProblemHttpResult>> GetDistributor(Guid userId, DistributionContext db,
        CancellationToken cancellationToken)
    {
        var distributor = await db.Distributors.AsNoTracking().SingleOrDefaultAsync(d => d.UserId == userId, cancellationToken);
        return distributor is null ? DistributorNotFound() : TypedResults.Ok(DistributorResponse.From(distributor));
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DistributorQr(Guid userId, DistributionContext db,
        CancellationToken cancellationToken)
    {
        var qr = await db.Distributors.AsNoTracking().Where(d => d.UserId == userId && d.PayoutQrImage != null)
            .Select(d => new { d.PayoutQrImage, d.PayoutQrContentType }).SingleOrDefaultAsync(cancellationToken);
        return qr is null ? DistributorNotFound() : TypedResults.File(qr.PayoutQrImage!, qr.PayoutQrContentType ?? "application/octet-stream");
    }

    public static Task<Results<Ok<DistributorResponse>, ProblemHttpResult, ValidationProblem>> Suspend(Guid userId, DistributionReasonRequest request,
        HttpContext http, DistributionContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(userId, db, distributor =>
        {
            if (distributor.Status != DistributorStatuses.Active)
                return ApiProblems.Conflict(DistributionProblemCodes.DistributorNotActive, "The distributor is already suspended.");
            var now = clock.GetUtcNow();
            distributor.Status = DistributorStatuses.Suspended;
            distributor.UpdatedAt = now;
            db.AddAudit(http, clock, DistributionAuditActions.DistributorSuspended, "distributor", userId, new { reason = request.Reason.Trim() });
            db.AddIntegrationEvent(new DistributorSuspended(userId, request.Reason.Trim(), http.User.UserId(), now), clock);
            return null;
        }, cancellationToken);

    /// <summary>A suspended distributor is active again; users gives back the role through <see cref="DistributorApproved"/>.</summary>
    public static Task<Results<Ok<DistributorResponse>, ProblemHttpResult, ValidationProblem>> Reinstate(Guid userId, HttpContext http,
        DistributionContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        ChangeAsync(userId, db, distributor =>
        {
            if (distributor.Status != DistributorStatuses.Suspended)
                return ApiProblems.Conflict(DistributionProblemCodes.DistributorNotSuspended, "The distributor is not suspended.");
            var now = clock.GetUtcNow();
            distributor.Status = DistributorStatuses.Active;
            distributor.UpdatedAt = now;
            db.AddAudit(http, clock, DistributionAuditActions.DistributorAppointed, "distributor", userId, new { reinstated = true });
            db.AddIntegrationEvent(new DistributorApproved(userId, distributor.TierCode, http.User.UserId(), now), clock);
            return null;
        }, cancellationToken);

    public static async Task<Results<Ok<DistributorResponse>, ProblemHttpResult, ValidationProblem>> SetTier(Guid userId, SetTierRequest request,
        HttpContext http, DistributionContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!await db.Tiers.AnyAsync(t => t.Code == request.TierCode, cancellationToken))
            return UnknownTier();
        return await ChangeAsync(userId, db, distributor =>
        {
            db.AddAudit(http, clock, DistributionAuditActions.TierChanged, "distributor", userId, new
            {
                from = distributor.TierCode, to = request.TierCode, pinned = request.Pinned, reason = request.Reason.Trim(), by = "admin",
            });
            distributor.TierCode = request.TierCode;
            distributor.TierPinned = request.Pinned;
            distributor.UpdatedAt = clock.GetUtcNow();
            return null;
        }, cancellationToken);
    }

    private static async Task<Results<Ok<DistributorResponse>, ProblemHttpResult, ValidationProblem>> ChangeAsync(Guid userId, DistributionContext db,
        Func<Distributor, ProblemHttpResult?> change, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var distributor = await LockDistributorAsync(db, userId, cancellationToken);
        if (distributor is null)
            return DistributorNotFound();
        if (change(distributor) is { } refused)
            return refused;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(DistributorResponse.From(distributor));
    }

    private static Task<Distributor?> LockDistributorAsync(DistributionContext db, Guid userId, CancellationToken cancellationToken) =>
        db.Distributors.FromSql($"SELECT * FROM distributors WHERE user_id = {userId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);

    private static ValidationProblem UnknownTier() => ApiProblems.Validation("tierCode", "No tier has this code.");

    private static ProblemHttpResult AlreadyDistributor() =>
        ApiProblems.Conflict(DistributionProblemCodes.AlreadyDistributor, "This user is already a distributor.");

    private static ProblemHttpResult ApplicationPending() =>
        ApiProblems.Conflict(DistributionProblemCodes.ApplicationPending, "An application is already waiting for a decision.");

    private static ProblemHttpResult ApplicationNotFound() => ApiProblems.NotFound(DistributionProblemCodes.ApplicationNotFound, "No such application.");

    private static ProblemHttpResult DistributorNotFound() => ApiProblems.NotFound(DistributionProblemCodes.DistributorNotFound, "No such distributor.");
}
