using Derp.Contracts.Serials;
using Derp.ServiceDefaults.Security;
using Derp.Serials.Api.Infrastructure;
using Derp.Serials.Api.Model;
using Derp.Serials.Api.Services;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Problems;
using Derp.ServiceDefaults.Projections;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Derp.Serials.Api.Apis;

public static class SerialsAdminApi
{
    private const int MaxPageSize = 500;

    /// <summary>A batch's <c>generate</c> row points at the batch (serials' own record, not one of finance's <see cref="RelatedTypes"/>).</summary>
    public const string BatchRelatedType = "batch";

    public static RouteGroupBuilder MapSerialsAdminApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("api/serials").WithTags("Serials (admin)").RequireAuthorization(Policies.Admin);
        api.MapPost("batches", CreateBatch).Validate<CreateBatchRequest>();
        api.MapGet("", ListSerials);
        api.MapGet("export", Export);
        api.MapGet("logs", ListUseLogs);
        api.MapGet("logs/stats", UseTypeCounts);
        api.MapGet("use-logs/stats", UseTypeStats);
        api.MapGet("binding-mismatches", ListMismatches);
        api.MapGet("{id:guid}", GetSerial);
        api.MapPatch("{id:guid}", UpdateSerial).Validate<UpdateSerialRequest>();
        api.MapDelete("{id:guid}", DeleteSerial);
        api.MapPost("{id:guid}/unbind", Unbind);
        return api;
    }

    public static async Task<Results<Created<CreateBatchResponse>, ProblemHttpResult>> CreateBatch(
        CreateBatchRequest request, HttpContext http, SecretProtector secrets, SerialGenerator generator, [AsParameters] SerialsServices services,
        CancellationToken cancellationToken)
    {
        var db = services.Db;
        var now = services.Clock.GetUtcNow();
        // A plan's serials carry what the plan says, read from the projection of finance's plans (no call to finance).
        PlanView? plan = null;
        if (request.PlanId is { } planId)
        {
            plan = await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == planId, cancellationToken);
            if (plan is null)
                return ApiProblems.Problem(422, SerialProblemCodes.PlanNotFound, "No such plan.", "planId must be a plan made in finance.");
            if (plan.Retired)
                return ApiProblems.Problem(422, SerialProblemCodes.PlanRetired, "This plan is retired.", "Serials are only made from plans that are not retired.");
        }
        if (request.DistributorId is { } distributorId
            && !await db.UserRoles.AnyAsync(u => u.UserId == distributorId && u.Role == Roles.Distributor, cancellationToken))
            return ApiProblems.Problem(422, SerialProblemCodes.DistributorNotFound, "No such distributor.", "distributorId must be a user whose role is distributor.");
        var batch = new SerialBatch
        {
            Id = Guid.CreateVersion7(),
            Prefix = request.Prefix.ToUpperInvariant(),
            Kind = request.Kind,
            Count = request.Count,
            CodeLength = request.CodeLength ?? SerialCodes.DefaultLength,
            PlanId = request.PlanId,
            DurationDays = plan?.DurationDays ?? request.DurationDays,
            DurationHours = request.DurationHours,
            // Finance's 0 GB is unlimited, which a serial says with no quota.
            TrafficQuotaGb = plan is null ? request.TrafficQuotaGb : plan.TrafficQuotaGb > 0 ? plan.TrafficQuotaGb : null,
            ValueCents = plan?.PriceCents ?? request.ValueCents,
            ValidDays = request.ValidDays ?? services.Options.Value.DefaultValidDays,
            BindingPolicy = request.BindingPolicy ?? BindingPolicies.Strict,
            DataKeyCiphertext = request.DataKey is null ? null : secrets.Protect(request.DataKey),
            DistributorId = request.DistributorId,
            Remark = request.Remark,
            CreatedBy = http.User.UserId(),
            CreatedAt = now,
        };

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.Batches.Add(batch);
            db.UseLogs.Add(new SerialUseLog
            {
                BatchId = batch.Id,
                UserId = batch.CreatedBy,
                Action = SerialActions.Generate,
                RelatedId = batch.Id.ToString(),
                RelatedType = BatchRelatedType,
                Ip = http.ClientIp(),
                UserAgent = http.UserAgent(),
                Remark = $"{batch.Count} x {batch.Prefix} ({batch.Kind})",
                CreatedAt = now,
            });
            await db.SaveChangesAsync(cancellationToken);
            await generator.InsertAsync(db, batch, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        services.Logger.LogInformation("Generated batch {BatchId}: {Count} {Kind} serials with prefix {Prefix}", batch.Id, batch.Count, batch.Kind, batch.Prefix);
        return TypedResults.Created($"/api/serials?batchId={batch.Id}", new CreateBatchResponse(batch.Id, batch.Count, batch.Prefix, batch.Kind));
    }

    public static async Task<Results<Ok<PagedResponse<SerialResponse>>, ValidationProblem>> ListSerials(
        [AsParameters] SerialsServices services, string? status = null, string? prefix = null, string? kind = null, Guid? batchId = null,
        string? q = null, int page = 1, int pageSize = 50)
    {
        if ((Paging.Check(page, pageSize, MaxPageSize) ?? CheckFilters(status, prefix, kind)) is { } invalid)
            return invalid;

        var query = Filter(services.Db.Serials.AsNoTracking(), status, prefix, kind, batchId);
        if (!string.IsNullOrWhiteSpace(q))
            query = query.Where(s => s.FullCode.Contains(SerialCodes.Normalize(q)) || (s.Remark != null && s.Remark.Contains(q.Trim())));

        var total = await query.CountAsync();
        var items = await query.Include(s => s.Client).OrderByDescending(s => s.CreatedAt).ThenBy(s => s.FullCode)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync();
        return TypedResults.Ok(new PagedResponse<SerialResponse>(items.Select(SerialResponse.From).ToList(), total, page, pageSize));
    }

    public static async Task<Results<Ok<SerialDetailResponse>, ProblemHttpResult>> GetSerial(Guid id, [AsParameters] SerialsServices services)
    {
        var serial = await services.Db.Serials.AsNoTracking().Include(s => s.Client).SingleOrDefaultAsync(s => s.Id == id);
        if (serial is null)
            return NotFound();
        var log = await services.Db.UseLogs.AsNoTracking()
            .Where(l => l.SerialId == id || (l.BatchId == serial.BatchId && l.Action == SerialActions.Generate))
            .OrderByDescending(l => l.Id).Take(200).ToListAsync();
        return TypedResults.Ok(new SerialDetailResponse(SerialResponse.From(serial),
            log.Select(l => UseLogResponse.From(l, l.SerialId == id ? serial.FullCode : null)).ToList()));
    }

    public static async Task<Results<Ok<SerialResponse>, ProblemHttpResult>> UpdateSerial(
        Guid id, UpdateSerialRequest request, HttpContext http, [AsParameters] SerialsServices services)
    {
        var db = services.Db;
        var serial = await db.Serials.Include(s => s.Client).SingleOrDefaultAsync(s => s.Id == id);
        if (serial is null)
            return NotFound();

        var actions = new List<string>();
        var statusAction = request.Status switch
        {
            SerialStatuses.Disabled => SerialStatusChanges.Disable(serial),
            "enabled" => SerialStatusChanges.Enable(serial),
            _ => null,
        };
        if (statusAction is not null)
            actions.Add(statusAction);
        if (request.Remark is not null || request.ValidUntil is not null)
        {
            serial.Remark = request.Remark ?? serial.Remark;
            serial.ValidUntil = request.ValidUntil ?? serial.ValidUntil;
            actions.Add(SerialActions.Edit);
        }

        foreach (var action in actions)
            db.UseLogs.Add(AdminLog(http, services.Clock, serial, action, action == SerialActions.Edit ? Describe(request) : null));
        await db.SaveChangesAsync();
        return TypedResults.Ok(SerialResponse.From(serial));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteSerial(Guid id, HttpContext http, [AsParameters] SerialsServices services)
    {
        var db = services.Db;
        var serial = await db.Serials.SingleOrDefaultAsync(s => s.Id == id);
        if (serial is null)
            return NotFound();
        // Used serials are history: whoever redeemed or activated one keeps the record of it.
        if (serial.FirstUsedAt is not null || serial.Status is not (SerialStatuses.Unused or SerialStatuses.Disabled))
            return ApiProblems.Conflict(SerialProblemCodes.SerialInUse, "Only unused or disabled serials that were never used can be deleted.");

        db.UseLogs.Add(AdminLog(http, services.Clock, serial, SerialActions.Delete, serial.FullCode));
        db.Serials.Remove(serial);
        await db.SaveChangesAsync();
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<SerialResponse>, ProblemHttpResult>> Unbind(Guid id, HttpContext http, [AsParameters] SerialsServices services)
    {
        var db = services.Db;
        var serial = await db.Serials.Include(s => s.Client).SingleOrDefaultAsync(s => s.Id == id);
        if (serial is null)
            return NotFound();
        if (serial.Kind != SerialKinds.Licence)
            return ApiProblems.Problem(422, SerialProblemCodes.NotALicence, "Only licence serials are bound to a machine.");

        var previous = serial.Client?.MachineCode;
        if (serial.Client is not null)
            db.ClientEnvironments.Remove(serial.Client);
        serial.Client = null;
        db.UseLogs.Add(AdminLog(http, services.Clock, serial, SerialActions.Unbind, previous is null ? "not bound" : $"was {previous}"));
        await db.SaveChangesAsync();
        return TypedResults.Ok(SerialResponse.From(serial));
    }

    /// <summary>
    /// Streams the matching full codes (txt: one per line, requirements §3.4; csv: with status and dates) straight from a
    /// PostgreSQL reader to the response, so a million rows need no more memory than a thousand.
    /// </summary>
    public static async Task<IResult> Export(HttpContext http, [AsParameters] SerialsServices services,
        string? status = SerialStatuses.Unused, string? prefix = null, string? kind = null, Guid? batchId = null, string format = "txt")
    {
        if (CheckFilters(status, prefix, kind) is { } invalid)
            return invalid;
        if (format is not ("txt" or "csv"))
            return ApiProblems.Validation("format", "Format must be txt or csv.");

        var connection = (NpgsqlConnection)services.Db.Database.GetDbConnection();
        await connection.OpenAsync(http.RequestAborted);
        await using var command = new NpgsqlCommand("""
            SELECT full_code, kind, status, created_at, valid_until, first_used_at FROM serials
            WHERE (@status::text IS NULL OR status = @status) AND (@prefix::text IS NULL OR prefix = @prefix)
              AND (@kind::text IS NULL OR kind = @kind) AND (@batch::uuid IS NULL OR batch_id = @batch)
            ORDER BY created_at, full_code
            """, connection);
        command.Parameters.AddWithValue("status", (object?)status ?? DBNull.Value);
        command.Parameters.AddWithValue("prefix", (object?)prefix?.ToUpperInvariant() ?? DBNull.Value);
        command.Parameters.AddWithValue("kind", (object?)kind ?? DBNull.Value);
        command.Parameters.AddWithValue("batch", (object?)batchId ?? DBNull.Value);

        var fileName = $"serials-{status ?? "all"}-{services.Clock.GetUtcNow():yyyyMMddHHmmss}.{format}";
        var rows = await SerialExport.StreamAsync(http, command, format, fileName, "full_code,kind,status,created_at,valid_until,first_used_at",
            reader => $"{reader.GetString(0)},{reader.GetString(1)},{reader.GetString(2)},{reader.Timestamp(3)},{reader.Timestamp(4)},{reader.Timestamp(5)}");
        services.Logger.LogInformation("Exported {Rows} serials ({Format})", rows, format);
        return Results.Empty;
    }

    /// <summary>
    /// Requirements §3.7 use log, with seed 004's typed links: <c>?useType=donation</c> is every donation use and
    /// <c>?relatedType=donation&amp;relatedId=…</c> the card key of one donation (each row carries its serial's full code).
    /// </summary>
    public static async Task<Results<Ok<PagedResponse<UseLogResponse>>, ValidationProblem>> ListUseLogs(
        [AsParameters] SerialsServices services, Guid? serialId = null, Guid? userId = null, string? action = null, string? useType = null,
        string? relatedType = null, string? relatedId = null, DateTimeOffset? from = null, DateTimeOffset? to = null, int page = 1, int pageSize = 50)
    {
        if (Paging.Check(page, pageSize, MaxPageSize) is { } invalid)
            return invalid;
        if (action is not null && !SerialActions.All.Contains(action))
            return ApiProblems.Validation("action", $"Action must be one of: {string.Join(", ", SerialActions.All)}.");
        if (useType is not null && !UseTypes.All.Contains(useType))
            return ApiProblems.Validation("useType", $"Use type must be one of: {string.Join(", ", UseTypes.All)}.");
        if (relatedType is not null && !RelatedTypes.All.Contains(relatedType) && relatedType != BatchRelatedType)
            return ApiProblems.Validation("relatedType", $"Related type must be one of: {string.Join(", ", RelatedTypes.All.Append(BatchRelatedType))}.");
        if (relatedId is not null && relatedId.Length > 64)
            return ApiProblems.Validation("relatedId", "Related id must be at most 64 characters.");
        // Related ids are stored as Guid.ToString(): an id typed in upper case or with braces still finds its row.
        if (Guid.TryParse(relatedId, out var relatedGuid))
            relatedId = relatedGuid.ToString();

        var query = services.Db.UseLogs.AsNoTracking();
        if (serialId is not null) query = query.Where(l => l.SerialId == serialId);
        if (userId is not null) query = query.Where(l => l.UserId == userId);
        if (action is not null) query = query.Where(l => l.Action == action);
        if (useType is not null) query = query.Where(l => l.UseType == useType);
        if (relatedType is not null) query = query.Where(l => l.RelatedType == relatedType);
        if (relatedId is not null) query = query.Where(l => l.RelatedId == relatedId);
        if (from is not null) query = query.Where(l => l.CreatedAt >= from);
        if (to is not null) query = query.Where(l => l.CreatedAt <= to);

        var total = await query.CountAsync();
        var items = await query.OrderByDescending(l => l.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync();
        var serialIds = items.Where(l => l.SerialId != null).Select(l => l.SerialId!.Value).Distinct().ToList();
        var codes = await services.Db.Serials.AsNoTracking().Where(s => serialIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.FullCode);
        return TypedResults.Ok(new PagedResponse<UseLogResponse>(
            items.Select(l => UseLogResponse.From(l, l.SerialId is { } id ? codes.GetValueOrDefault(id) : null)).ToList(), total, page, pageSize));
    }

    /// <summary>
    /// Seed 004's third query (<c>GROUP BY use_type</c>: the count of rows and of distinct serials), for every use type,
    /// most used first, optionally in a time range. Batch rows (no use type) are not uses of a serial.
    /// </summary>
    public static async Task<Ok<List<UseTypeStatsResponse>>> UseTypeStats(
        [AsParameters] SerialsServices services, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var query = services.Db.UseLogs.AsNoTracking().Where(l => l.UseType != null);
        if (from is not null) query = query.Where(l => l.CreatedAt >= from);
        if (to is not null) query = query.Where(l => l.CreatedAt <= to);
        var counts = await query.GroupBy(l => l.UseType!)
            .Select(g => new { UseType = g.Key, Count = g.Count(), DistinctSerials = g.Select(l => l.SerialId).Distinct().Count() })
            .ToListAsync();
        var result = UseTypes.All
            .Select(t => counts.FirstOrDefault(c => c.UseType == t) is { } c ? new UseTypeStatsResponse(t, c.Count, c.DistinctSerials) : new UseTypeStatsResponse(t, 0, 0))
            .OrderByDescending(s => s.Count).ThenBy(s => s.UseType, StringComparer.Ordinal).ToList();
        return TypedResults.Ok(result);
    }

    /// <summary>Requirements §3.7: how many uses of each type, optionally in a time range.</summary>
    public static async Task<Ok<Dictionary<string, int>>> UseTypeCounts(
        [AsParameters] SerialsServices services, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var query = services.Db.UseLogs.AsNoTracking().Where(l => l.UseType != null && l.Action == SerialActions.Redeem);
        if (from is not null) query = query.Where(l => l.CreatedAt >= from);
        if (to is not null) query = query.Where(l => l.CreatedAt <= to);
        var counts = await query.GroupBy(l => l.UseType!).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        var result = UseTypes.All.ToDictionary(t => t, t => counts.FirstOrDefault(c => c.Key == t)?.Count ?? 0);
        return TypedResults.Ok(result);
    }

    public static async Task<Results<Ok<PagedResponse<BindingMismatchResponse>>, ValidationProblem>> ListMismatches(
        [AsParameters] SerialsServices services, Guid? serialId = null, int page = 1, int pageSize = 50)
    {
        if (Paging.Check(page, pageSize, MaxPageSize) is { } invalid)
            return invalid;
        var query = services.Db.BindingMismatches.AsNoTracking();
        if (serialId is not null)
            query = query.Where(m => m.SerialId == serialId);
        var total = await query.CountAsync();
        var items = await query.OrderByDescending(m => m.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(m => new BindingMismatchResponse(m.Id, m.SerialId, m.FullCode, m.Policy, m.RequestJson, m.BoundMachineCode, m.BoundHardware,
                m.BoundIp, m.Ip, m.UserAgent, m.CreatedAt))
            .ToListAsync();
        return TypedResults.Ok(new PagedResponse<BindingMismatchResponse>(items, total, page, pageSize));
    }

    private static IQueryable<Serial> Filter(IQueryable<Serial> query, string? status, string? prefix, string? kind, Guid? batchId)
    {
        if (status is not null) query = query.Where(s => s.Status == status);
        var upperPrefix = prefix?.ToUpperInvariant();
        if (upperPrefix is not null) query = query.Where(s => s.Prefix == upperPrefix);
        if (kind is not null) query = query.Where(s => s.Kind == kind);
        if (batchId is not null) query = query.Where(s => s.BatchId == batchId);
        return query;
    }

    private static ValidationProblem? CheckFilters(string? status, string? prefix, string? kind) =>
        status is not null && !SerialStatuses.All.Contains(status) ? ApiProblems.Validation("status", $"Status must be one of: {string.Join(", ", SerialStatuses.All)}.")
        : prefix is not null && !SerialCodes.IsValidPrefix(prefix) ? ApiProblems.Validation("prefix", "Prefix must be 1 to 16 letters or digits.")
        : kind is not null && !SerialKinds.All.Contains(kind) ? ApiProblems.Validation("kind", $"Kind must be one of: {string.Join(", ", SerialKinds.All)}.")
        : null;

    internal static SerialUseLog AdminLog(HttpContext http, TimeProvider clock, Serial serial, string action, string? remark) => new()
    {
        SerialId = serial.Id,
        BatchId = serial.BatchId,
        UserId = http.User.UserId(),
        Action = action,
        UseType = UseTypes.Other,
        Ip = http.ClientIp(),
        UserAgent = http.UserAgent(),
        ExpiresAt = serial.ExpiresAt,
        Remark = remark,
        CreatedAt = clock.GetUtcNow(),
    };

    private static string Describe(UpdateSerialRequest request) =>
        string.Join("; ", new[] { request.Remark is null ? null : $"remark: {request.Remark}", request.ValidUntil is null ? null : $"valid until {request.ValidUntil:O}" }
            .Where(p => p is not null));

    private static ProblemHttpResult NotFound() => ApiProblems.NotFound(SerialProblemCodes.SerialNotFound, "No such serial.");
}
