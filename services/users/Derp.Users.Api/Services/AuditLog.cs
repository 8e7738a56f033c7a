using Derp.ServiceDefaults.Http;
using Derp.Users.Api.Infrastructure;
using Derp.Users.Api.Model;

namespace Derp.Users.Api.Services;

public static class AuditLog
{
    /// <summary>Adds an operation-log row to the unit of work; it commits with the change it describes.</summary>
    public static void Audit(this UsersContext db, HttpContext? http, TimeProvider clock, string action, Guid? userId, Guid? actorId = null, string? detail = null) =>
        db.AuditEntries.Add(new AuditEntry
        {
            UserId = userId,
            ActorId = actorId ?? (http is null ? null : userId), // no request: the system acted
            Action = action,
            Detail = detail,
            Ip = http?.ClientIp(), // null for what a job did
            UserAgent = http?.UserAgent(),
            CreatedAt = clock.GetUtcNow(),
        });
}
