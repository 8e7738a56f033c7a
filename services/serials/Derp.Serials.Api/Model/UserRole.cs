namespace Derp.Serials.Api.Model;

/// <summary>
/// What serials knows of users: their latest role, from users' UserRegistered and UserRoleChanged events, so a batch
/// can only be assigned to a user who is a distributor.
/// </summary>
public sealed class UserRole
{
    public Guid UserId { get; set; }
    public required string Role { get; set; }

    /// <summary>When users decided this role: an older event arriving late does not undo a newer one.</summary>
    public DateTimeOffset ChangedAt { get; set; }
}
