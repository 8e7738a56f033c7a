namespace Derp.Acl.Api.Services;

public sealed class AclOptions
{
    public const string Section = "Acl";

    /// <summary>Requirements §5.2: a policy version is valid for 32 days, then the rotation job makes the next one.</summary>
    public TimeSpan PolicyLifetime { get; set; } = TimeSpan.FromDays(32);

    /// <summary>Renters rotated per job run (each in its own transaction).</summary>
    public int RotationBatchSize { get; set; } = 200;

    /// <summary>How often the same denial (reason + renter) is written to the log at most.</summary>
    public TimeSpan DenialLogInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Networks with a known location for the generation and download logs (see <see cref="IIpLocationResolver"/>).</summary>
    public List<IpLocationEntry> IpLocations { get; set; } = [];
}

public sealed class IpLocationEntry
{
    public string Network { get; set; } = "";
    public string Location { get; set; } = "";
}
