using Derp.Contracts.Serials;
using Derp.Serials.Api.Infrastructure;
using Derp.Serials.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Derp.Serials.Api.Services;

/// <summary>Where a batch's codes come from: the CSPRNG. A seam so that a test can force the rare duplicate.</summary>
public class SerialCodeSource
{
    public virtual string NewCode(int length) => SerialCodes.NewCode(length);
}

/// <summary>
/// Writes a batch's serials with PostgreSQL's binary COPY straight into <c>serials</c> (ADR-030): one pass over the
/// rows and their indexes, no staging table. The unique full code is the database's last word: a code that another
/// serial already has (any batch, 31^10 codes make it rare) aborts the COPY, which is rolled back to a savepoint; the
/// codes that are taken are generated again and the COPY runs once more, so the batch always gets exactly its count of
/// distinct serials. Runs inside the caller's transaction (the batch row, its use-log row and any outbox event commit
/// with the serials or not at all).
/// </summary>
public sealed class SerialGenerator(SerialCodeSource source, ILogger<SerialGenerator> logger)
{
    private const int MaxRounds = 20;
    private const string Savepoint = "serials_copy";

    private const string CopyCommand = """
        COPY serials (id, prefix, code, full_code, kind, status, batch_id, distributor_id, plan_id, duration_days, duration_hours,
                      traffic_quota_gb, value_cents, binding_policy, remark, created_at, valid_until) FROM STDIN (FORMAT BINARY)
        """;

    public async Task<int> InsertAsync(SerialsContext db, SerialBatch batch, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("Serials are generated inside the transaction that writes their batch.");
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var codes = new HashSet<string>(batch.Count, StringComparer.Ordinal);
        while (codes.Count < batch.Count)
            codes.Add(source.NewCode(batch.CodeLength));

        for (var round = 1; ; round++)
        {
            await transaction.CreateSavepointAsync(Savepoint, cancellationToken);
            try
            {
                await CopyAsync(connection, batch, codes, now, cancellationToken);
                await transaction.ReleaseSavepointAsync(Savepoint, cancellationToken);
                return codes.Count;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && round < MaxRounds)
            {
                await transaction.RollbackToSavepointAsync(Savepoint, cancellationToken);
                var taken = await TakenAsync(db, batch.Prefix, codes, cancellationToken);
                if (taken.Count == 0)
                    throw; // not a code: nothing to generate again
                logger.LogInformation("{Count} generated codes of batch {BatchId} already existed; generating them again", taken.Count, batch.Id);
                codes.ExceptWith(taken);
                while (codes.Count < batch.Count)
                {
                    var code = source.NewCode(batch.CodeLength);
                    if (!taken.Contains(code))
                        codes.Add(code);
                }
            }
        }
    }

    /// <summary>The codes (without prefix) of <paramref name="codes"/> that a serial already has.</summary>
    private static async Task<HashSet<string>> TakenAsync(SerialsContext db, string prefix, HashSet<string> codes, CancellationToken cancellationToken)
    {
        var fullCodes = codes.Select(c => SerialCodes.FullCode(prefix, c)).ToArray();
        var taken = await db.Database.SqlQuery<string>($"SELECT code AS \"Value\" FROM serials WHERE full_code = ANY({fullCodes})")
            .ToListAsync(cancellationToken);
        return taken.ToHashSet(StringComparer.Ordinal);
    }

    private static async Task CopyAsync(NpgsqlConnection connection, SerialBatch batch, IEnumerable<string> codes, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var validUntil = now.AddDays(batch.ValidDays);
        await using var writer = await connection.BeginBinaryImportAsync(CopyCommand, cancellationToken);
        foreach (var code in codes)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(batch.Prefix, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(code, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(SerialCodes.FullCode(batch.Prefix, code), NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(batch.Kind, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(SerialStatuses.Unused, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(batch.Id, NpgsqlDbType.Uuid, cancellationToken);
            await WriteNullableAsync(writer, batch.DistributorId, NpgsqlDbType.Uuid, cancellationToken);
            await WriteNullableAsync(writer, batch.PlanId, NpgsqlDbType.Uuid, cancellationToken);
            await WriteNullableAsync(writer, batch.DurationDays, NpgsqlDbType.Integer, cancellationToken);
            await WriteNullableAsync(writer, batch.DurationHours, NpgsqlDbType.Integer, cancellationToken);
            await WriteNullableAsync(writer, batch.TrafficQuotaGb, NpgsqlDbType.Integer, cancellationToken);
            await WriteNullableAsync(writer, batch.ValueCents, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(batch.BindingPolicy, NpgsqlDbType.Varchar, cancellationToken);
            if (batch.Remark is null)
                await writer.WriteNullAsync(cancellationToken);
            else
                await writer.WriteAsync(batch.Remark, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(validUntil, NpgsqlDbType.TimestampTz, cancellationToken);
        }
        await writer.CompleteAsync(cancellationToken);
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct
    {
        if (value is { } present)
            await writer.WriteAsync(present, type, cancellationToken);
        else
            await writer.WriteNullAsync(cancellationToken);
    }
}
