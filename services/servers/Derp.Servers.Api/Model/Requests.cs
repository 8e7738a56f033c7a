using System.Net;
using FluentValidation;

namespace Derp.Servers.Api.Model;

public sealed record CreateServerRequest(
    string Name,
    string PublicIp,
    string? HostName,
    string RegionCode,
    string RegionName,
    string? Location,
    string? CloudAccount,
    string SshHost,
    int SshPort,
    string SshUser,
    string SshPrivateKey,
    string HostKeyFingerprint,
    string? DockerSocket,
    int Capacity,
    int PortRangeStart,
    int PortRangeEnd,
    long? MonthlyTrafficGb);

/// <summary>What can change on a registered host. A new key or fingerprint is checked against the host again.</summary>
public sealed record UpdateServerRequest(
    string Name,
    string? HostName,
    string RegionCode,
    string RegionName,
    string? Location,
    string? CloudAccount,
    int Capacity,
    long? MonthlyTrafficGb,
    string? SshPrivateKey,
    string? HostKeyFingerprint);

public sealed record ServerListItem(Guid Id, string Name, string PublicIp, string RegionCode, string RegionName, string? Location, string Status,
    int Containers, int Renters, int Capacity, long TrafficThisMonthBytes, long? TrafficLeftBytes, long RateBytesPerSecond, double? LatencyMs,
    DateTimeOffset? LastCheckedAt, string? LastError);

public sealed record ServerDetail(Guid Id, string Name, string PublicIp, string HostName, string RegionCode, string RegionName, string? Location,
    string? CloudAccount, string SshHost, int SshPort, string SshUser, string HostKeyFingerprint, string DockerSocket, int Capacity,
    int PortRangeStart, int PortRangeEnd, long? MonthlyTrafficGb, string Status, int ConsecutiveFailures, double? LatencyMs,
    DateTimeOffset? LastCheckedAt, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? RemovedAt, int LiveContainers)
{
    public static ServerDetail From(Server s, int live) =>
        new(s.Id, s.Name, s.PublicIp, s.HostName, s.RegionCode, s.RegionName, s.Location, s.CloudAccount, s.SshHost, s.SshPort, s.SshUser,
            s.HostKeyFingerprint, s.DockerSocket, s.Capacity, s.PortRangeStart, s.PortRangeEnd, s.MonthlyTrafficGb, s.Status, s.ConsecutiveFailures,
            s.LatencyMs, s.LastCheckedAt, s.LastError, s.CreatedAt, s.RemovedAt, live);
}

public sealed record RegionStats(string RegionCode, string RegionName, int Hosts, int HealthyHosts, int Containers, int Renters, int Capacity,
    double Load, long RateBytesPerSecond);

public sealed record MetricPoint(DateTimeOffset At, double? LatencyMs, double Availability, long RateBytesPerSecond, int Containers);

public sealed record ContainerItem(Guid Id, Guid ServerId, string ServerName, string RegionCode, Guid UserId, Guid RentalId, string Name, string State,
    int DerpPort, int StunPort, long RxBytes, long TxBytes, long RateBytesPerSecond, bool? ProbeOk, string? LastError, DateTimeOffset CreatedAt,
    string Desired, string? EngineState, DateTimeOffset? ObservedAt);

public sealed record AlertItem(long Id, string Type, string Severity, string Message, Guid? ServerId, Guid? UserId, DateTimeOffset CreatedAt,
    DateTimeOffset? ResolvedAt);

internal static partial class HostRules
{
    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-z0-9][a-z0-9-]{1,15}$")]
    public static partial System.Text.RegularExpressions.Regex RegionCode();

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    public static partial System.Text.RegularExpressions.Regex Name();

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")]
    public static partial System.Text.RegularExpressions.Regex DnsName();

    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-z_][a-z0-9_-]{0,31}$")]
    public static partial System.Text.RegularExpressions.Regex UnixUser();

    [System.Text.RegularExpressions.GeneratedRegex(@"^SHA256:[A-Za-z0-9+/]{43}$")]
    public static partial System.Text.RegularExpressions.Regex Fingerprint();

    [System.Text.RegularExpressions.GeneratedRegex(@"^\+?[0-9][0-9 -]{4,19}$")]
    public static partial System.Text.RegularExpressions.Regex Phone();

    public static bool IsHost(string? value) => value is not null && (IPAddress.TryParse(value, out _) || DnsName().IsMatch(value));

    public static bool IsPrivateKey(string? value) =>
        value is { Length: <= 16_384 } && value.TrimStart().StartsWith("-----BEGIN ", StringComparison.Ordinal)
        && value.Contains("PRIVATE KEY-----", StringComparison.Ordinal);

    public static void Common<T>(AbstractValidator<T> v, Func<T, string> name, Func<T, string?> hostName, Func<T, string> regionCode,
        Func<T, string> regionName, Func<T, string?> location, Func<T, string?> cloudAccount, Func<T, int> capacity, Func<T, long?> monthlyTrafficGb)
    {
        v.RuleFor(r => name(r)).Must(n => n is not null && Name().IsMatch(n)).OverridePropertyName("name")
            .WithMessage("Name has 1 to 64 letters, digits, '.', '_' or '-'.");
        v.RuleFor(r => hostName(r)).Must(h => h is null || IsHost(h)).OverridePropertyName("hostName")
            .WithMessage("Host name must be a DNS name or an IP address.");
        v.RuleFor(r => regionCode(r)).Must(c => c is not null && RegionCode().IsMatch(c)).OverridePropertyName("regionCode")
            .WithMessage("Region code has 2 to 16 lower-case letters, digits or '-'.");
        v.RuleFor(r => regionName(r)).Must(n => !string.IsNullOrWhiteSpace(n) && n.Length <= 64).OverridePropertyName("regionName")
            .WithMessage("Region name is required (at most 64 characters).");
        v.RuleFor(r => location(r)).Must(l => l is null || l.Length <= 128).OverridePropertyName("location")
            .WithMessage("Location is at most 128 characters.");
        v.RuleFor(r => cloudAccount(r)).Must(c => c is null || Phone().IsMatch(c)).OverridePropertyName("cloudAccount")
            .WithMessage("The cloud account is the account's phone number (5 to 20 digits).");
        v.RuleFor(r => capacity(r)).InclusiveBetween(1, 1000).OverridePropertyName("capacity")
            .WithMessage("Capacity must be between 1 and 1000 containers.");
        v.RuleFor(r => monthlyTrafficGb(r)).Must(t => t is null or >= 0 and <= 10_000_000).OverridePropertyName("monthlyTrafficGb")
            .WithMessage("Monthly traffic must be 0 or more GB.");
    }
}

public sealed class CreateServerRequestValidator : AbstractValidator<CreateServerRequest>
{
    public CreateServerRequestValidator()
    {
        HostRules.Common(this, r => r.Name, r => r.HostName, r => r.RegionCode, r => r.RegionName, r => r.Location, r => r.CloudAccount,
            r => r.Capacity, r => r.MonthlyTrafficGb);
        RuleFor(r => r.PublicIp).Must(ip => ip is not null && IPAddress.TryParse(ip, out _)).WithMessage("Public IP must be an IPv4 or IPv6 address.");
        RuleFor(r => r.SshHost).Must(HostRules.IsHost).WithMessage("SSH host must be a DNS name or an IP address.");
        RuleFor(r => r.SshPort).InclusiveBetween(1, 65535).WithMessage("SSH port must be between 1 and 65535.");
        RuleFor(r => r.SshUser).Must(u => u is not null && HostRules.UnixUser().IsMatch(u)).WithMessage("SSH user must be a Unix user name.");
        RuleFor(r => r.SshPrivateKey).Must(HostRules.IsPrivateKey).WithMessage("SSH private key must be a PEM/OpenSSH private key (at most 16 KiB).");
        RuleFor(r => r.HostKeyFingerprint).Must(f => f is not null && HostRules.Fingerprint().IsMatch(f))
            .WithMessage("Host key fingerprint must look like SHA256:<43 base64 characters> (ssh-keygen -lf).");
        RuleFor(r => r.DockerSocket).Must(s => s is null || (s.StartsWith('/') && s.Length <= 200 && !s.Contains(' ', StringComparison.Ordinal)))
            .WithMessage("Docker socket must be an absolute path.");
        RuleFor(r => r.PortRangeStart).InclusiveBetween(1024, 65534).WithMessage("Port range start must be between 1024 and 65534.");
        RuleFor(r => r.PortRangeEnd).Must((r, end) => end <= 65535 && end - r.PortRangeStart + 1 >= 2 * Math.Max(1, r.Capacity))
            .WithMessage("Port range end must be at most 65535 and leave two ports (DERP and STUN) per container of capacity.");
    }
}

public sealed class UpdateServerRequestValidator : AbstractValidator<UpdateServerRequest>
{
    public UpdateServerRequestValidator()
    {
        HostRules.Common(this, r => r.Name, r => r.HostName, r => r.RegionCode, r => r.RegionName, r => r.Location, r => r.CloudAccount,
            r => r.Capacity, r => r.MonthlyTrafficGb);
        RuleFor(r => r.SshPrivateKey).Must(k => k is null || HostRules.IsPrivateKey(k))
            .WithMessage("SSH private key must be a PEM/OpenSSH private key (at most 16 KiB).");
        RuleFor(r => r.HostKeyFingerprint).Must(f => f is null || HostRules.Fingerprint().IsMatch(f))
            .WithMessage("Host key fingerprint must look like SHA256:<43 base64 characters> (ssh-keygen -lf).");
    }
}
