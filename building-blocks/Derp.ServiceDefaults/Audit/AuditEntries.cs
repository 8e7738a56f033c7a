using System.Globalization;
using System.Text.Json;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derp.ServiceDefaults.Audit;

/// <summary>
/// An admin's (or a rule's) action on a service's records, kept for good in that service's own database: who, from
/// where, what, on which record, and what changed. Finance and distribution keep theirs this way.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    /// <summary>Null when a rule acted (a job, not a person).</summary>
    public Guid? ActorId { get; set; }

    public string? ActorIp { get; set; }

    /// <summary>The service's audit action vocabulary (for example <c>FinanceAuditActions</c>).</summary>
    public required string Action { get; set; }

    public required string TargetType { get; set; }
    public required string TargetId { get; set; }

    /// <summary>What changed, as JSON (amounts, reasons, before/after).</summary>
    public string? DetailsJson { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A service database that keeps <see cref="AuditEntry"/> rows.</summary>
public interface IAuditedContext
{
    DbSet<AuditEntry> Audit { get; }
}

public sealed class AuditEntryEntityTypeConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.HasIndex(a => new { a.TargetId, a.CreatedAt });
        builder.HasIndex(a => new { a.Action, a.CreatedAt });
        builder.Property(a => a.DetailsJson).HasColumnType("jsonb");
    }
}

public static class AuditExtensions
{
    /// <summary>Adds an audit row for the signed-in caller's action to the change being saved (same transaction).</summary>
    public static void AddAudit(this IAuditedContext db, HttpContext http, TimeProvider clock, string action, string targetType, object targetId,
        object? details = null) =>
        db.AddAudit(http.User.Identity?.IsAuthenticated == true ? http.User.UserId() : null, http.ClientIp(), clock, action, targetType, targetId, details);

    /// <summary>Adds an audit row for an action without a request (a rule or job: no actor, no address).</summary>
    public static void AddAudit(this IAuditedContext db, Guid? actorId, string? actorIp, TimeProvider clock, string action, string targetType, object targetId,
        object? details = null) =>
        db.Audit.Add(new AuditEntry
        {
            ActorId = actorId,
            ActorIp = actorIp,
            Action = action,
            TargetType = targetType,
            TargetId = Convert.ToString(targetId, CultureInfo.InvariantCulture)!,
            DetailsJson = details is null ? null : JsonSerializer.Serialize(details, JsonSerializerOptions.Web),
            CreatedAt = clock.GetUtcNow(),
        });
}
