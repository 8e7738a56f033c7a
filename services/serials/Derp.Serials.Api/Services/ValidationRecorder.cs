using Derp.Contracts.Serials;
using System.Threading.Channels;
using Derp.Serials.Api.Infrastructure;
using Derp.Serials.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Derp.Serials.Api.Services;

public sealed record AcceptedValidation(
    Guid SerialId, string? Hardware, string Ip, string? Function, string? UserAgent, DateTimeOffset? ExpiresAt, DateTimeOffset At);

/// <summary>
/// Accepted validations update the client environment (requirements §3.6) and the use log (§3.7). Writing both on every
/// call would triple the cost of the platform's hottest path, so they are queued here and written in batches,
/// at most about half a second later; a stopping service flushes what is queued.
/// </summary>
public sealed class ValidationRecorder(IServiceScopeFactory scopes, ILogger<ValidationRecorder> logger) : BackgroundService
{
    private readonly Channel<AcceptedValidation> _queue = Channel.CreateBounded<AcceptedValidation>(
        new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Record(AcceptedValidation validation)
    {
        if (!_queue.Writer.TryWrite(validation))
            SerialsMetrics.ValidationRecordsDropped.Add(1);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AcceptedValidation>(1000);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken); // let a burst gather
                while (batch.Count < 5000 && _queue.Reader.TryRead(out var item))
                    batch.Add(item);
                await WriteAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            while (_queue.Reader.TryRead(out var item))
                batch.Add(item);
            await WriteAsync(batch, CancellationToken.None);
        }
    }

    private async Task WriteAsync(List<AcceptedValidation> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
            return;
        try
        {
            await WriteIsolatingAsync(batch, cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            logger.LogError(e, "Could not record {Count} accepted validations", batch.Count);
        }
    }

    /// <summary>
    /// One client's bad row must not erase everyone else's records: when the database refuses a batch for its data,
    /// the batch is split in halves until the refused rows stand alone; those are counted and logged, the rest are
    /// written. A database that cannot be reached fails the whole batch at once, as before.
    /// </summary>
    private async Task WriteIsolatingAsync(List<AcceptedValidation> rows, CancellationToken cancellationToken)
    {
        try
        {
            await WriteRowsAsync(rows, cancellationToken);
        }
        catch (PostgresException e) when (rows.Count > 1)
        {
            logger.LogWarning("The database refused a batch of {Count} accepted validations ({SqlState}); isolating the refused rows", rows.Count, e.SqlState);
            var half = rows.Count / 2;
            await WriteIsolatingAsync(rows.Take(half).ToList(), cancellationToken);
            await WriteIsolatingAsync(rows.Skip(half).ToList(), cancellationToken);
        }
        catch (PostgresException e)
        {
            SerialsMetrics.ValidationRecordsRefused.Add(1);
            logger.LogError(e, "The database refused the record of an accepted validation of serial {SerialId}", rows[0].SerialId);
        }
    }

    private async Task WriteRowsAsync(List<AcceptedValidation> batch, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SerialsContext>();
        var latest = batch.GroupBy(v => v.SerialId).Select(g => g.MaxBy(v => v.At)!).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();

        await using (var update = new NpgsqlCommand("""
            UPDATE client_environments c
            SET hardware = COALESCE(t.hardware, c.hardware), ip = t.ip, function = t.function, last_request_at = t.at
            FROM unnest(@ids, @hardware, @ips, @functions, @ats) AS t(serial_id, hardware, ip, function, at)
            WHERE c.serial_id = t.serial_id AND c.last_request_at < t.at
            """, connection, (NpgsqlTransaction)transaction.GetDbTransaction()))
        {
            update.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", latest.Select(v => v.SerialId).ToArray()));
            update.Parameters.Add(new NpgsqlParameter<string?[]>("hardware", latest.Select(v => v.Hardware).ToArray()));
            update.Parameters.Add(new NpgsqlParameter<string[]>("ips", latest.Select(v => v.Ip).ToArray()));
            update.Parameters.Add(new NpgsqlParameter<string?[]>("functions", latest.Select(v => v.Function).ToArray()));
            update.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("ats", latest.Select(v => v.At).ToArray()));
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var insert = new NpgsqlCommand("""
            INSERT INTO serial_use_logs (serial_id, action, use_type, ip, user_agent, expires_at, remark, created_at)
            SELECT t.serial_id, @action, @useType, t.ip, t.user_agent, t.expires_at, t.function, t.at
            FROM unnest(@ids, @ips, @agents, @expires, @functions, @ats) AS t(serial_id, ip, user_agent, expires_at, function, at)
            """, connection, (NpgsqlTransaction)transaction.GetDbTransaction()))
        {
            insert.Parameters.AddWithValue("action", SerialActions.Validate);
            insert.Parameters.AddWithValue("useType", UseTypes.Product);
            insert.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", batch.Select(v => v.SerialId).ToArray()));
            insert.Parameters.Add(new NpgsqlParameter<string[]>("ips", batch.Select(v => v.Ip).ToArray()));
            insert.Parameters.Add(new NpgsqlParameter<string?[]>("agents", batch.Select(v => v.UserAgent).ToArray()));
            insert.Parameters.Add(new NpgsqlParameter("expires", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
                { Value = batch.Select(v => (object?)v.ExpiresAt ?? DBNull.Value).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter<string?[]>("functions", batch.Select(v => v.Function).ToArray()));
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("ats", batch.Select(v => v.At).ToArray()));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
