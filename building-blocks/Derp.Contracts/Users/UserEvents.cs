namespace Derp.Contracts.Users;

// Integration events owned by the users service. Records only: consumers in other services bind to these types,
// so a field is added, never renamed or removed.

public sealed record UserRegistered(Guid UserId, string Email, string Username, string Role, DateTimeOffset RegisteredAt);

public sealed record UserEmailVerified(Guid UserId, string Email, DateTimeOffset VerifiedAt);

public sealed record UserRoleChanged(Guid UserId, string PreviousRole, string Role, Guid ChangedBy, DateTimeOffset ChangedAt);
