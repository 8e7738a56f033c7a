using System.Net;
using Microsoft.Extensions.Options;

namespace Derp.Acl.Api.Services;

/// <summary>
/// Turns an address into a place for the logs (requirements §5.4, §5.5). Pluggable: a commercial geo-IP database can be put
/// behind this interface; none configured means "unknown".
/// </summary>
public interface IIpLocationResolver
{
    string Locate(string? ip);
}

/// <summary>Locations from a table of networks in configuration (<c>Acl:IpLocations</c>); the most specific match wins.</summary>
public sealed class NetworkTableLocationResolver : IIpLocationResolver
{
    public const string Unknown = "unknown";
    private readonly List<(IPNetwork Network, string Location)> _table;

    public NetworkTableLocationResolver(IOptions<AclOptions> options)
    {
        _table = options.Value.IpLocations
            .Select(e => (Network: IPNetwork.Parse(e.Network), e.Location))
            .OrderByDescending(e => e.Network.PrefixLength)
            .ToList();
    }

    public string Locate(string? ip)
    {
        if (ip is null || !IPAddress.TryParse(ip, out var address))
            return Unknown;
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        foreach (var (network, location) in _table)
            if (network.Contains(address))
                return location;
        return Unknown;
    }
}
