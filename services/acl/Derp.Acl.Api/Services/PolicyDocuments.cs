using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Derp.Contracts.Servers;

namespace Derp.Acl.Api.Services;

/// <summary>
/// Writes a renter's relays as a Tailscale policy file (HuJSON with a <c>derpMap</c>) and as a headscale DERP map
/// (YAML). Field names are those of Tailscale's <c>tailcfg.DERPMap</c> / <c>DERPRegion</c> / <c>DERPNode</c>: JSON
/// uses the Go field names, headscale's YAML decoder the lower-cased ones.
/// </summary>
public static class PolicyDocuments
{
    /// <summary>Tailscale reserves region ids below 900 for its own relays.</summary>
    public const int FirstRegionId = 900;

    public sealed record Region(int RegionId, string RegionCode, string RegionName, RelayNode Node)
    {
        public string NodeName => $"{RegionId}a";
    }

    /// <summary>One region per relay, ids from 900 in the given order; region codes made unique.</summary>
    public static IReadOnlyList<Region> Regions(IReadOnlyList<RelayNode> relays)
    {
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        return relays.Select((relay, index) =>
        {
            var code = relay.RegionCode.ToLowerInvariant();
            seen[code] = seen.GetValueOrDefault(code) + 1;
            if (seen[code] > 1)
                code = $"{code}-{seen[code]}";
            return new Region(FirstRegionId + index, code, relay.RegionName, relay);
        }).ToList();
    }

    public static string TailscalePolicy(IReadOnlyList<RelayNode> relays, int version, DateTimeOffset generatedAt, DateTimeOffset validUntil,
        IReadOnlyCollection<string> nodeKeys)
    {
        var json = new StringBuilder();
        json.AppendLine(CultureInfo.InvariantCulture, $"// Derp relay policy, version {version}.");
        json.AppendLine(CultureInfo.InvariantCulture, $"// Generated {generatedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC, valid until {validUntil.UtcDateTime:yyyy-MM-dd HH:mm} UTC;");
        json.AppendLine("// a new version is made before then and you are emailed to apply it.");
        json.AppendLine("// Only the devices registered on your Derp account can use these relays:");
        foreach (var key in nodeKeys.Order(StringComparer.Ordinal))
            json.AppendLine(CultureInfo.InvariantCulture, $"//   {key}");
        if (nodeKeys.Count == 0)
            json.AppendLine("//   (none yet: register your devices' node keys on the Devices page)");
        json.AppendLine("// Paste this file into the Tailscale admin console (Access controls), or copy only \"derpMap\" into");
        json.AppendLine("// your existing policy. The \"acls\" rule below is Tailscale's default (allow all): keep your own rules instead.");

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("acls");
            writer.WriteStartObject();
            writer.WriteString("action", "accept");
            writer.WriteStartArray("src");
            writer.WriteStringValue("*");
            writer.WriteEndArray();
            writer.WriteStartArray("dst");
            writer.WriteStringValue("*:*");
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WritePropertyName("derpMap");
            WriteDerpMap(writer, relays);
            writer.WriteEndObject();
        }
        json.Append(Encoding.UTF8.GetString(stream.ToArray()));
        json.AppendLine();
        return json.ToString();
    }

    /// <summary>A <c>tailcfg.DERPMap</c> as JSON: Go field names, omitempty fields left out when empty.</summary>
    public static void WriteDerpMap(Utf8JsonWriter writer, IReadOnlyList<RelayNode> relays)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("OmitDefaultRegions", true);
        writer.WriteStartObject("Regions");
        foreach (var region in Regions(relays))
        {
            writer.WriteStartObject(region.RegionId.ToString(CultureInfo.InvariantCulture));
            writer.WriteNumber("RegionID", region.RegionId);
            writer.WriteString("RegionCode", region.RegionCode);
            writer.WriteString("RegionName", region.RegionName);
            writer.WriteStartArray("Nodes");
            writer.WriteStartObject();
            writer.WriteString("Name", region.NodeName);
            writer.WriteNumber("RegionID", region.RegionId);
            writer.WriteString("HostName", region.Node.HostName);
            if (!string.IsNullOrEmpty(region.Node.CertName))
                writer.WriteString("CertName", region.Node.CertName);
            writer.WriteString("IPv4", region.Node.IPv4);
            writer.WriteNumber("STUNPort", region.Node.StunPort);
            writer.WriteNumber("DERPPort", region.Node.DerpPort);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>
    /// headscale's <c>derp.paths</c> file: the same map, decoded by headscale with yaml.v3 (lower-cased field names).
    /// </summary>
    public static string HeadscaleDerpMap(IReadOnlyList<RelayNode> relays, int version, DateTimeOffset validUntil)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine(CultureInfo.InvariantCulture, $"# Derp relays for headscale, version {version}, valid until {validUntil.UtcDateTime:yyyy-MM-dd HH:mm} UTC.");
        yaml.AppendLine("# Save as a file, list it under derp.paths in headscale's config.yaml, set derp.urls to [] and restart headscale.");
        yaml.AppendLine("regions:");
        foreach (var region in Regions(relays))
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  {region.RegionId}:");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    regionid: {region.RegionId}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    regioncode: {Quote(region.RegionCode)}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    regionname: {Quote(region.RegionName)}");
            yaml.AppendLine("    nodes:");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"      - name: {Quote(region.NodeName)}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"        regionid: {region.RegionId}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"        hostname: {Quote(region.Node.HostName)}");
            if (!string.IsNullOrEmpty(region.Node.CertName))
                yaml.AppendLine(CultureInfo.InvariantCulture, $"        certname: {Quote(region.Node.CertName)}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"        ipv4: {Quote(region.Node.IPv4)}");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"        stunport: {region.Node.StunPort}");
            yaml.AppendLine("        stunonly: false");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"        derpport: {region.Node.DerpPort}");
        }
        return yaml.ToString();
    }

    /// <summary>A YAML double-quoted scalar (JSON string escaping is valid YAML).</summary>
    private static string Quote(string value) => JsonSerializer.Serialize(value, QuoteOptions);

    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
