using System.Text;
using Npgsql;

namespace Derp.Serials.Api.Services;

/// <summary>
/// Streams exported serials straight from a PostgreSQL reader to the response, so a million rows need no more memory
/// than a thousand. The command's first column is the full code (txt: one per line); csv rows are written by the caller.
/// </summary>
public static class SerialExport
{
    public static async Task<int> StreamAsync(HttpContext http, NpgsqlCommand command, string format, string fileName, string csvHeader,
        Func<NpgsqlDataReader, string> csvRow)
    {
        http.Response.ContentType = format == "txt" ? "text/plain; charset=utf-8" : "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";

        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, http.RequestAborted);
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), bufferSize: 64 * 1024);
        if (format == "csv")
            await writer.WriteAsync(csvHeader + "\n");
        var rows = 0;
        while (await reader.ReadAsync(http.RequestAborted))
        {
            await writer.WriteAsync(format == "txt" ? reader.GetString(0) : csvRow(reader));
            await writer.WriteAsync('\n');
            if (++rows % 10_000 == 0)
                await writer.FlushAsync(http.RequestAborted);
        }
        await writer.FlushAsync(http.RequestAborted);
        return rows;
    }

    public static string Timestamp(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? "" : reader.GetFieldValue<DateTimeOffset>(ordinal).ToString("O");
}
