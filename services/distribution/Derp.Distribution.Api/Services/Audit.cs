using System.Text.Json;
using Derp.Distribution.Api.Infrastructure;
using Derp.Distribution.Api.Model;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;

namespace Derp.Distribution.Api.Services;

public static class Audit
{
    /// <summary>Adds an audit row for an admin's action to the change being saved (same transaction).</summary>
    public static void AddAudit(this DistributionContext db, HttpContext http, TimeProvider clock, string action, string targetType, object targetId,
        object? details = null) =>
        db.Audit.Add(new AuditEntry
        {
            ActorId = http.User.Identity?.IsAuthenticated == true ? http.User.UserId() : null,
            ActorIp = http.ClientIp(),
            Action = action,
            TargetType = targetType,
            TargetId = Convert.ToString(targetId, System.Globalization.CultureInfo.InvariantCulture)!,
            DetailsJson = details is null ? null : JsonSerializer.Serialize(details, JsonSerializerOptions.Web),
            CreatedAt = clock.GetUtcNow(),
        });
}
