using Derp.Contracts.Acl;

namespace Derp.Acl.Api.Model;

/// <summary>One immutable version of a renter's policy, in both formats, with the relays it was built from.</summary>
public sealed class PolicyVersion
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public int Version { get; set; }
    public required string Trigger { get; set; }
    /// <summary>The relays as JSON (<see cref="Derp.Contracts.Servers.RelayNode"/> list): the next rotation reuses them.</summary>
    public required string Relays { get; set; }
    public required string TailscalePolicy { get; set; }
    public required string HeadscaleDerpMap { get; set; }
    public DateTimeOffset GeneratedAt { get; set; }
    public DateTimeOffset ValidUntil { get; set; }

    public string Content(string format) => format == PolicyFormats.Headscale ? HeadscaleDerpMap : TailscalePolicy;
}

/// <summary>Requirements §5.4: every generation with who asked, from where, and why.</summary>
public sealed class GenerationLogEntry
{
    public long Id { get; set; }
    public Guid UserId { get; set; }
    public int Version { get; set; }
    public required string Trigger { get; set; }
    /// <summary>The admin who asked; null when an event or the rotation job did.</summary>
    public Guid? RequestedBy { get; set; }
    public string? RequesterIp { get; set; }
    public required string Location { get; set; }
    public DateTimeOffset GeneratedAt { get; set; }
}

/// <summary>Requirements §5.5: every download with user, address, machine code and browser.</summary>
public sealed class DownloadLogEntry
{
    public long Id { get; set; }
    public Guid UserId { get; set; }
    public int Version { get; set; }
    public required string Format { get; set; }
    public required string Ip { get; set; }
    public required string Location { get; set; }
    public string? MachineCode { get; set; }
    public required string UserAgent { get; set; }
    public DateTimeOffset DownloadedAt { get; set; }
}
