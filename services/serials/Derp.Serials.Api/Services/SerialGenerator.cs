using Derp.Contracts.Serials;
using Derp.Serials.Api.Infrastructure;
using Derp.Serials.Api.Model;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Derp.Serials.Api.Services;

/// <summary>
/// Writes a batch's serials with PostgreSQL's binary COPY into a temporary table, then moves them into
/// <c>serials</c> with ON CONFLICT DO NOTHING on the unique full code. Codes that collide with an existing serial
/// (from any batch) are simply generated again, so 100 000 serials take seconds and never produce a duplicate.
/// Runs inside the caller's transaction.
/// </summary>
public static class SerialGenerator
{
    private const int MaxRounds = 20;

    public static async Task<int> InsertAsync(SerialsContext db, SerialBatch batch, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.ExecuteSqlRawAsync(
            "CREATE TEMP TABLE IF NOT EXISTS serial_staging (id uuid, code text, full_code text) ON COMMIT DROP", cancellationToken);

        var validUntil = now.AddDays(batch.ValidDays);
        var inserted = 0;
        for (var round = 0; inserted < batch.Count; round++)
        {
            if (round == MaxRounds)
                throw new InvalidOperationException($"Could not find {batch.Count} free codes of length {batch.CodeLength} for prefix {batch.Prefix}.");

            await db.Database.ExecuteSqlRawAsync("TRUNCATE serial_staging", cancellationToken);
            var wanted = batch.Count - inserted;
            var codes = new HashSet<string>(wanted, StringComparer.Ordinal);
            while (codes.Count < wanted)
                codes.Add(SerialCodes.NewCode(batch.CodeLength));

            await using (var writer = await connection.BeginBinaryImportAsync(
                "COPY serial_staging (id, code, full_code) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                foreach (var code in codes)
                {
                    await writer.StartRowAsync(cancellationToken);
                    await writer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, cancellationToken);
                    await writer.WriteAsync(code, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(SerialCodes.FullCode(batch.Prefix, code), NpgsqlDbType.Text, cancellationToken);
                }
                await writer.CompleteAsync(cancellationToken);
            }

            inserted += await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO serials (id, prefix, code, full_code, kind, status, batch_id, distributor_id, plan_id, duration_days,
                                     duration_hours, traffic_quota_gb, value_cents, binding_policy, remark, created_at, valid_until)
                SELECT id, {batch.Prefix}, code, full_code, {batch.Kind}, {SerialStatuses.Unused}, {batch.Id}, {batch.DistributorId},
                       {batch.PlanId}, {batch.DurationDays}, {batch.DurationHours}, {batch.TrafficQuotaGb}, {batch.ValueCents},
                       {batch.BindingPolicy}, {batch.Remark}, {now}, {validUntil}
                FROM serial_staging
                ON CONFLICT (full_code) DO NOTHING
                """, cancellationToken);
        }
        return inserted;
    }
}
