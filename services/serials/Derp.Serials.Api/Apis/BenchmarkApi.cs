using Derp.Serials.Api.Infrastructure;
using Derp.Serials.Api.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Derp.Serials.Api.Apis;

public static class BenchmarkApi
{
    /// <summary>
    /// The load script's baseline: one trivial PostgreSQL query through the same gateway and middleware, so
    /// `/api/validate` can be reported as a ratio against it. Only mapped when Serials:BenchmarkBaseline is true.
    /// </summary>
    public static void MapBenchmarkBaseline(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<SerialsOptions>>().Value.BenchmarkBaseline)
            return;
        app.MapGet("api/validate/baseline", async (SerialsContext db) =>
            TypedResults.Ok(new { serials = await db.Database.SqlQuery<int>($"SELECT 1 AS \"Value\"").SingleAsync() }))
            .AllowAnonymous().ExcludeFromDescription();
    }
}
