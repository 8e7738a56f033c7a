namespace Derp.ServiceDefaults.Auth;

public static class Roles
{
    public const string Renter = "renter";
    public const string Distributor = "distributor";
    public const string Admin = "admin";
    public const string SuperAdmin = "superadmin";

    public static readonly IReadOnlyList<string> All = [Renter, Distributor, Admin, SuperAdmin];

    public static bool IsValid(string? role) => role is not null && All.Contains(role);
}

/// <summary>Authorization policy names; superadmin satisfies every admin policy.</summary>
public static class Policies
{
    public const string Renter = "renter";
    public const string Distributor = "distributor";
    public const string Admin = "admin";
    public const string SuperAdmin = "superadmin";
    /// <summary>Admins see everything; a distributor sees what concerns the renters they brought.</summary>
    public const string AdminOrDistributor = "admin-or-distributor";
    /// <summary>Whoever buys from the platform: renters, and distributors (who pay their serial purchases like any order).</summary>
    public const string Customer = "customer";
}
