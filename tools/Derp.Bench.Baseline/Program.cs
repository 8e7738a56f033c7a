using System.Text.Json.Serialization;
using Npgsql;

// What "one query by code" costs with nothing else: the ceiling /api/validate and admission are compared against.
// POST /validate takes the load script's validation body and reads the serial by code; GET /ping answers a constant
// (behind the gateway it measures the gateway's own ceiling).
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var dataSource = NpgsqlDataSource.Create(builder.Configuration.GetConnectionString("Serials")
    ?? throw new InvalidOperationException("ConnectionStrings:Serials is required."));

var app = builder.Build();
app.MapGet("/ping", () => "pong");
app.MapGet("/health/live", () => "ok"); // the gateway's readiness probes every cluster it routes to
app.MapPost("/validate", async (LicenceRequest request) =>
{
    await using var command = dataSource.CreateCommand("SELECT status, expires_at FROM serials WHERE full_code = $1");
    command.Parameters.Add(new NpgsqlParameter { Value = request.Code ?? "" });
    await using var reader = await command.ExecuteReaderAsync();
    return await reader.ReadAsync()
        ? Results.Ok(new LicenceAnswer(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1)))
        : Results.NotFound();
});
await app.RunAsync();

internal sealed record LicenceRequest([property: JsonPropertyName("code")] string? Code);

internal sealed record LicenceAnswer([property: JsonPropertyName("status")] string Status, [property: JsonPropertyName("expires_at")] DateTimeOffset? ExpiresAt);
