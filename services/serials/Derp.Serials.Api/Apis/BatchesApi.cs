using Derp.Contracts.Serials;
using Derp.Serials.Api.Model;
using Derp.Serials.Api.Services;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Problems;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Derp.Serials.Api.Apis;

/// <summary>
/// Serials around their batches for operators: the batches with a count per status, disabling what a batch has not
/// yet sold, and actions on a selection of serials (disable, enable, export) that change all of them or none.
/// </summary>
public static class BatchesApi
{
    public const int MaxBulkIds = 1000;

    public static RouteGroupBuilder MapBatchesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("api/serials").WithTags("Serial batches (admin)").RequireAuthorization(Policies.Admin);
        api.MapGet("batches", ListBatches);
        api.MapGet("batches/{id:guid}", GetBatch);
        api.MapPost("batches/{id:guid}/disable", DisableBatch);
        api.MapPost("bulk", Bulk).Validate<BulkSerialsRequest>();
        api.MapPost("export", ExportSelected).Validate<ExportSerialsRequest>();
        return api;
    }

    public static async Task<Results<Ok<PagedResponse<BatchResponse>>, ValidationProblem>> ListBatches(
        [AsParameters] SerialsServices services, string? kind = null, string? prefix = null, Guid? planId = null, int page = 1, int pageSize = 20)
    {
        if (Paging.Check(page, pageSize) is { } invalid)
            return invalid;
        if (kind is not null && !SerialKinds.All.Contains(kind))
            return ApiProblems.Validation("kind", $"Kind must be one of: {string.Join(", ", SerialKinds.All)}.");
        if (prefix is not null && !SerialCodes.IsValidPrefix(prefix))
            return ApiProblems.Validation("prefix", "Prefix must be 1 to 16 letters or digits.");

        var query = services.Db.Batches.AsNoTracking();
        if (kind is not null) query = query.Where(b => b.Kind == kind);
        var upperPrefix = prefix?.ToUpperInvariant();
        if (upperPrefix is not null) query = query.Where(b => b.Prefix == upperPrefix);
        if (planId is not null) query = query.Where(b => b.PlanId == planId);

        var total = await query.CountAsync();
        var batches = await query.OrderByDescending(b => b.CreatedAt).ThenBy(b => b.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync();
        var counts = await CountsAsync(services, batches.Select(b => b.Id).ToList());
        return TypedResults.Ok(new PagedResponse<BatchResponse>(
            batches.Select(b => BatchResponse.From(b, counts.GetValueOrDefault(b.Id) ?? StatusCounts.None)).ToList(), total, page, pageSize));
    }

    public static async Task<Results<Ok<BatchResponse>, ProblemHttpResult>> GetBatch(Guid id, [AsParameters] SerialsServices services)
    {
        var batch = await services.Db.Batches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == id);
        if (batch is null)
            return BatchNotFound();
        var counts = await CountsAsync(services, [id]);
        return TypedResults.Ok(BatchResponse.From(batch, counts.GetValueOrDefault(id) ?? StatusCounts.None));
    }

    /// <summary>
    /// Disables every unused serial of a batch (a leaked or unsold batch); used and active serials keep working, since
    /// someone paid for them. Each disabled serial gets its use-log row, as a single disable does, in the same transaction.
    /// </summary>
    public static async Task<Results<Ok<BatchDisabledResponse>, ProblemHttpResult>> DisableBatch(
        Guid id, HttpContext http, [AsParameters] SerialsServices services, CancellationToken cancellationToken)
    {
        var db = services.Db;
        if (!await db.Batches.AnyAsync(b => b.Id == id, cancellationToken))
            return BatchNotFound();

        var strategy = db.Database.CreateExecutionStrategy();
        var disabled = await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var rows = await db.Database.ExecuteSqlInterpolatedAsync($"""
                WITH disabled AS (
                    UPDATE serials SET status_before_disable = status, status = {SerialStatuses.Disabled}
                    WHERE batch_id = {id} AND status = {SerialStatuses.Unused}
                    RETURNING id, expires_at)
                INSERT INTO serial_use_logs (serial_id, batch_id, user_id, action, use_type, ip, user_agent, expires_at, remark, created_at)
                SELECT id, {id}, {http.User.UserId()}, {SerialActions.Disable}::text, {UseTypes.Other}::text, {http.ClientIp()}::text,
                       {http.UserAgent()}::text, expires_at, {"batch disabled"}::text, {services.Clock.GetUtcNow()}
                FROM disabled
                """, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return rows;
        });
        services.Logger.LogInformation("Disabled {Count} unused serials of batch {BatchId}", disabled, id);
        return TypedResults.Ok(new BatchDisabledResponse(id, disabled));
    }

    /// <summary>
    /// Disables or enables the selected serials in one transaction: an unknown id refuses the whole request. Serials
    /// already in the asked state are left alone and counted as unchanged.
    /// </summary>
    public static async Task<Results<Ok<BulkSerialsResponse>, ProblemHttpResult>> Bulk(
        BulkSerialsRequest request, HttpContext http, [AsParameters] SerialsServices services, CancellationToken cancellationToken)
    {
        var db = services.Db;
        var ids = request.Ids.Distinct().ToList();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync<Results<Ok<BulkSerialsResponse>, ProblemHttpResult>>(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var serials = await db.Serials.FromSqlInterpolated($"SELECT * FROM serials WHERE id = ANY({ids.ToArray()}) FOR UPDATE")
                .ToListAsync(cancellationToken);
            if (serials.Count != ids.Count)
                return ApiProblems.Problem(404, SerialProblemCodes.SerialNotFound, "No such serial.",
                    $"{ids.Count - serials.Count} of the selected serials do not exist (deleted?); nothing was changed.");

            var changed = 0;
            foreach (var serial in serials)
            {
                var action = request.Action == BulkSerialsRequest.Disable ? SerialStatusChanges.Disable(serial) : SerialStatusChanges.Enable(serial);
                if (action is null)
                    continue;
                db.UseLogs.Add(SerialsAdminApi.AdminLog(http, services.Clock, serial, action, "bulk"));
                changed++;
            }
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            services.Logger.LogInformation("Bulk {Action}: {Changed} of {Count} serials changed", request.Action, changed, ids.Count);
            return TypedResults.Ok(new BulkSerialsResponse(request.Action, changed, ids.Count - changed));
        });
    }

    /// <summary>The selected serials as a file (the same txt and csv as the filtered export), in the order they were made.</summary>
    public static async Task<IResult> ExportSelected(ExportSerialsRequest request, HttpContext http, [AsParameters] SerialsServices services)
    {
        var connection = (NpgsqlConnection)services.Db.Database.GetDbConnection();
        await connection.OpenAsync(http.RequestAborted);
        await using var command = new NpgsqlCommand("""
            SELECT full_code, kind, status, created_at, valid_until, first_used_at FROM serials
            WHERE id = ANY(@ids) ORDER BY created_at, full_code
            """, connection);
        command.Parameters.AddWithValue("ids", request.Ids.Distinct().ToArray());
        var format = request.Format ?? "txt";
        var fileName = $"serials-selected-{services.Clock.GetUtcNow():yyyyMMddHHmmss}.{format}";
        var rows = await SerialExport.StreamAsync(http, command, format, fileName, "full_code,kind,status,created_at,valid_until,first_used_at",
            reader => $"{reader.GetString(0)},{reader.GetString(1)},{reader.GetString(2)},{reader.Timestamp(3)},{reader.Timestamp(4)},{reader.Timestamp(5)}");
        services.Logger.LogInformation("Exported {Rows} selected serials ({Format})", rows, format);
        return Results.Empty;
    }

    private static async Task<Dictionary<Guid, StatusCounts>> CountsAsync(SerialsServices services, List<Guid> batchIds)
    {
        var rows = await services.Db.Serials.AsNoTracking().Where(s => batchIds.Contains(s.BatchId))
            .GroupBy(s => new { s.BatchId, s.Status }).Select(g => new { g.Key.BatchId, g.Key.Status, Count = g.Count() }).ToListAsync();
        return rows.GroupBy(r => r.BatchId).ToDictionary(g => g.Key, g => new StatusCounts(
            g.Where(r => r.Status == SerialStatuses.Unused).Sum(r => r.Count),
            g.Where(r => r.Status == SerialStatuses.Active).Sum(r => r.Count),
            g.Where(r => r.Status == SerialStatuses.Used).Sum(r => r.Count),
            g.Where(r => r.Status == SerialStatuses.Expired).Sum(r => r.Count),
            g.Where(r => r.Status == SerialStatuses.Disabled).Sum(r => r.Count)));
    }

    private static ProblemHttpResult BatchNotFound() => ApiProblems.NotFound(SerialProblemCodes.BatchNotFound, "No such batch.");
}

/// <summary>How one disable or enable changes a serial; one definition for the single and the bulk action.</summary>
public static class SerialStatusChanges
{
    /// <summary>Disables the serial and returns the use-log action, or null when it was already disabled.</summary>
    public static string? Disable(Serial serial)
    {
        if (serial.Status == SerialStatuses.Disabled)
            return null;
        serial.StatusBeforeDisable = serial.Status;
        serial.Status = SerialStatuses.Disabled;
        return SerialActions.Disable;
    }

    /// <summary>Gives a disabled serial back the status it had, or returns null when it was not disabled.</summary>
    public static string? Enable(Serial serial)
    {
        if (serial.Status != SerialStatuses.Disabled)
            return null;
        serial.Status = serial.StatusBeforeDisable ?? SerialStatuses.Unused;
        serial.StatusBeforeDisable = null;
        return SerialActions.Enable;
    }
}

public sealed record StatusCounts(int Unused, int Active, int Used, int Expired, int Disabled)
{
    public static readonly StatusCounts None = new(0, 0, 0, 0, 0);
}

public sealed record BatchResponse(Guid Id, string Prefix, string Kind, int Count, int CodeLength, Guid? PlanId, int? DurationDays, int? DurationHours,
    int? TrafficQuotaGb, long? ValueCents, int ValidDays, string BindingPolicy, Guid? DistributorId, Guid? RequestId, string? Remark,
    Guid CreatedBy, DateTimeOffset CreatedAt, StatusCounts Counts)
{
    public static BatchResponse From(SerialBatch b, StatusCounts counts) => new(b.Id, b.Prefix, b.Kind, b.Count, b.CodeLength, b.PlanId, b.DurationDays,
        b.DurationHours, b.TrafficQuotaGb, b.ValueCents, b.ValidDays, b.BindingPolicy, b.DistributorId, b.RequestId, b.Remark, b.CreatedBy, b.CreatedAt, counts);
}

public sealed record BatchDisabledResponse(Guid BatchId, int Disabled);

public sealed record BulkSerialsRequest(string Action, IReadOnlyList<Guid> Ids)
{
    public const string Disable = "disable";
    public const string Enable = "enable";
}

public sealed record BulkSerialsResponse(string Action, int Changed, int Unchanged);

public sealed record ExportSerialsRequest(IReadOnlyList<Guid> Ids, string? Format = null);

public sealed class BulkSerialsRequestValidator : AbstractValidator<BulkSerialsRequest>
{
    public BulkSerialsRequestValidator()
    {
        RuleFor(r => r.Action).Must(a => a is BulkSerialsRequest.Disable or BulkSerialsRequest.Enable).WithMessage("Action must be disable or enable.");
        RuleFor(r => r.Ids).NotNull().Must(ids => ids is { Count: > 0 and <= BatchesApi.MaxBulkIds })
            .WithMessage($"Select between 1 and {BatchesApi.MaxBulkIds} serials.");
    }
}

public sealed class ExportSerialsRequestValidator : AbstractValidator<ExportSerialsRequest>
{
    public ExportSerialsRequestValidator()
    {
        RuleFor(r => r.Ids).NotNull().Must(ids => ids is { Count: > 0 and <= BatchesApi.MaxBulkIds })
            .WithMessage($"Select between 1 and {BatchesApi.MaxBulkIds} serials.");
        RuleFor(r => r.Format).Must(f => f is null or "txt" or "csv").WithMessage("Format must be txt or csv.");
    }
}
