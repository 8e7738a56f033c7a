using Derp.Contracts.Serials;
using Derp.Serials.Api.Services;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Derp.Serials.Api.Apis;

/// <summary>One of a distributor's serials and its life: unused, redeemed (when, by whom), expired.</summary>
public sealed record DistributorSerialResponse(
    Guid Id,
    string FullCode,
    string Status,
    Guid BatchId,
    Guid? PlanId,
    int? DurationDays,
    DateTimeOffset CreatedAt,
    DateTimeOffset ValidUntil,
    DateTimeOffset? FirstUsedAt,
    Guid? UserId);

/// <summary>
/// A distributor's own serials (requirements §9.3): only those whose distributor is the caller, whoever asks. The
/// export streams like the admin export (txt: one code per line; csv: with each serial's life).
/// </summary>
public static class DistributorSerialsApi
{
    private const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapDistributorSerialsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("api/serials/mine").WithTags("Serials (distributor)").RequireAuthorization(Policies.Distributor);
        api.MapGet("", List);
        api.MapGet("export", Export);
        return routes;
    }

    public static async Task<Results<Ok<PagedResponse<DistributorSerialResponse>>, ValidationProblem>> List(HttpContext http,
        [AsParameters] SerialsServices services, string? status = null, Guid? batchId = null, int page = 1, int pageSize = 50)
    {
        if ((Paging.Check(page, pageSize, MaxPageSize) ?? CheckStatus(status)) is { } invalid)
            return invalid;
        var distributorId = http.User.UserId();
        var query = services.Db.Serials.AsNoTracking().Where(s => s.DistributorId == distributorId);
        if (status is not null)
            query = query.Where(s => s.Status == status);
        if (batchId is not null)
            query = query.Where(s => s.BatchId == batchId);
        var total = await query.CountAsync(http.RequestAborted);
        var items = await query.OrderByDescending(s => s.CreatedAt).ThenBy(s => s.FullCode).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(s => new DistributorSerialResponse(s.Id, s.FullCode, s.Status, s.BatchId, s.PlanId, s.DurationDays, s.CreatedAt, s.ValidUntil,
                s.FirstUsedAt, s.UserId))
            .ToListAsync(http.RequestAborted);
        return TypedResults.Ok(new PagedResponse<DistributorSerialResponse>(items, total, page, pageSize));
    }

    /// <summary>Every own serial by default (or those of one status), oldest first.</summary>
    public static async Task<IResult> Export(HttpContext http, [AsParameters] SerialsServices services, string? status = null, Guid? batchId = null,
        string format = "txt")
    {
        if (CheckStatus(status) is { } invalid)
            return invalid;
        if (format is not ("txt" or "csv"))
            return ApiProblems.Validation("format", "Format must be txt or csv.");

        var connection = (NpgsqlConnection)services.Db.Database.GetDbConnection();
        await connection.OpenAsync(http.RequestAborted);
        await using var command = new NpgsqlCommand("""
            SELECT full_code, status, valid_until, first_used_at, user_id, batch_id FROM serials
            WHERE distributor_id = @distributor AND (@status::text IS NULL OR status = @status) AND (@batch::uuid IS NULL OR batch_id = @batch)
            ORDER BY created_at, full_code
            """, connection);
        command.Parameters.AddWithValue("distributor", http.User.UserId());
        command.Parameters.AddWithValue("status", (object?)status ?? DBNull.Value);
        command.Parameters.AddWithValue("batch", (object?)batchId ?? DBNull.Value);

        var fileName = $"my-serials-{status ?? "all"}-{services.Clock.GetUtcNow():yyyyMMddHHmmss}.{format}";
        var rows = await SerialExport.StreamAsync(http, command, format, fileName, "full_code,status,valid_until,first_used_at,user_id,batch_id",
            reader => $"{reader.GetString(0)},{reader.GetString(1)},{reader.Timestamp(2)},{reader.Timestamp(3)},"
                + $"{(reader.IsDBNull(4) ? "" : reader.GetGuid(4).ToString())},{reader.GetGuid(5)}");
        services.Logger.LogInformation("A distributor exported {Rows} of their serials ({Format})", rows, format);
        return Results.Empty;
    }

    private static ValidationProblem? CheckStatus(string? status) =>
        status is not null && !SerialStatuses.All.Contains(status)
            ? ApiProblems.Validation("status", $"Status must be one of: {string.Join(", ", SerialStatuses.All)}.")
            : null;
}
