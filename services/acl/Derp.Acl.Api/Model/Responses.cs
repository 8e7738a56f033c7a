using System.Text.Json.Serialization;
using Derp.Acl.Api.Services;

namespace Derp.Acl.Api.Model;

public sealed record RelayView(int RegionId, string RegionCode, string RegionName, string HostName, string IPv4, int DerpPort, int StunPort,
    string? CertName);

public sealed record PolicyResponse(int Version, string Format, string Trigger, DateTimeOffset GeneratedAt, DateTimeOffset ValidUntil,
    bool Current, string Content, IReadOnlyList<RelayView> Relays)
{
    public static PolicyResponse From(PolicyVersion version, string format, int currentVersion) =>
        new(version.Version, format, version.Trigger, version.GeneratedAt, version.ValidUntil, version.Version == currentVersion,
            version.Content(format),
            PolicyDocuments.Regions(PolicyGenerator.RelaysOf(version))
                .Select(r => new RelayView(r.RegionId, r.RegionCode, r.RegionName, r.Node.HostName, r.Node.IPv4, r.Node.DerpPort, r.Node.StunPort, r.Node.CertName))
                .ToList());
}

public sealed record VersionSummary(int Version, string Trigger, DateTimeOffset GeneratedAt, DateTimeOffset ValidUntil, bool Current);

public sealed record GenerationLogItem(long Id, Guid UserId, int Version, string Trigger, Guid? RequestedBy, string? RequesterIp, string Location,
    DateTimeOffset GeneratedAt);

public sealed record DownloadLogItem(long Id, Guid UserId, int Version, string Format, string Ip, string Location, string? MachineCode,
    string UserAgent, DateTimeOffset DownloadedAt);

/// <summary>derper's <c>tailcfg.DERPAdmitClientRequest</c>.</summary>
public sealed record AdmitRequest(
    [property: JsonPropertyName("NodePublic")] string? NodePublic,
    [property: JsonPropertyName("Source")] string? Source);

/// <summary>derper's <c>tailcfg.DERPAdmitClientResponse</c>.</summary>
public sealed record AdmitResponse([property: JsonPropertyName("Allow")] bool Allow);
