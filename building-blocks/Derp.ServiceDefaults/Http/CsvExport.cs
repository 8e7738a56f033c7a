using System.Text;
using Microsoft.AspNetCore.Http;

namespace Derp.ServiceDefaults.Http;

/// <summary>
/// CSV files meant to be opened in a spreadsheet: UTF-8 with a byte-order mark (Excel otherwise reads Chinese as
/// mojibake), RFC 4180 quoting, and no cell that a spreadsheet would run as a formula.
/// </summary>
public static class CsvExport
{
    /// <summary>Sets the download headers and returns a writer on the response body that has already written the BOM.</summary>
    public static StreamWriter Begin(HttpContext http, string fileName)
    {
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), bufferSize: 64 * 1024);
        writer.Write('\uFEFF');
        return writer;
    }

    public static string Row(params string?[] cells) => string.Join(',', cells.Select(Cell)) + "\r\n";

    /// <summary>
    /// One cell. User data (a username, a user agent, a remark) that starts with = + - @ or a tab/carriage return would
    /// be run as a formula by Excel and LibreOffice (OWASP "CSV injection"): such a cell gets a leading apostrophe.
    /// </summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
