using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Derp.Acl.Api.Services;
using Derp.Contracts.Servers;

namespace Derp.Acl.UnitTests;

/// <summary>
/// The derpMap we write must decode into Tailscale's own types. These tests hold the definitions of
/// tailscale.com/tailcfg (derpmap.go: DERPMap, DERPRegion, DERPNode — field names, Go types and JSON tags) and decode
/// our output with encoding/json's rules (a key matches a field's JSON name exactly, else case-insensitively) —
/// stricter than Go in one way: a key that matches no field fails here, where Go would silently drop it.
/// </summary>
public sealed partial class TailcfgGoldenTests
{
    private enum Kind { Int, String, Bool, Float, Object, MapOfIntToRegion, SliceOfNodes }

    private sealed record GoField(string Name, Kind Kind, string? JsonTag = null, bool OmitEmpty = false)
    {
        public string JsonName => JsonTag ?? Name;
    }

    // type DERPMap struct
    private static readonly GoField[] DerpMap =
    [
        new("HomeParams", Kind.Object, OmitEmpty: true),
        new("Regions", Kind.MapOfIntToRegion),
        new("OmitDefaultRegions", Kind.Bool, JsonTag: "omitDefaultRegions", OmitEmpty: true),
    ];

    // type DERPRegion struct
    private static readonly GoField[] DerpRegion =
    [
        new("RegionID", Kind.Int),
        new("RegionCode", Kind.String),
        new("RegionName", Kind.String),
        new("Latitude", Kind.Float, OmitEmpty: true),
        new("Longitude", Kind.Float, OmitEmpty: true),
        new("Avoid", Kind.Bool, OmitEmpty: true),
        new("NoMeasureNoHome", Kind.Bool, OmitEmpty: true),
        new("Nodes", Kind.SliceOfNodes),
    ];

    // type DERPNode struct
    private static readonly GoField[] DerpNode =
    [
        new("Name", Kind.String),
        new("RegionID", Kind.Int),
        new("HostName", Kind.String),
        new("CertName", Kind.String, OmitEmpty: true),
        new("IPv4", Kind.String, OmitEmpty: true),
        new("IPv6", Kind.String, OmitEmpty: true),
        new("STUNPort", Kind.Int, OmitEmpty: true),
        new("STUNOnly", Kind.Bool, OmitEmpty: true),
        new("DERPPort", Kind.Int, OmitEmpty: true),
        new("InsecureForTests", Kind.Bool, OmitEmpty: true),
        new("STUNTestIP", Kind.String, OmitEmpty: true),
        new("CanPort80", Kind.Bool, OmitEmpty: true),
    ];

    private static readonly RelayNode[] ThreeRelays =
    [
        new("hkg", "Hong Kong", "203.0.113.10", "203.0.113.10", 30001, 31001, "sha256-raw:" + new string('a', 64)),
        new("sin", "Singapore", "relay-sin.example.net", "198.51.100.20", 30002, 31002),
        new("tyo", "Tokyo", "relay-tyo.example.net", "192.0.2.30", 30003, 31003),
    ];

    /// <summary>Go's field lookup for a JSON key: exact JSON name first, then a case-insensitive match.</summary>
    private static GoField Resolve(GoField[] type, string key, string path) =>
        type.FirstOrDefault(f => f.JsonName == key)
        ?? type.FirstOrDefault(f => string.Equals(f.JsonName, key, StringComparison.OrdinalIgnoreCase))
        ?? throw new ShouldAssertException($"{path}.{key} is not a field of tailcfg: Go would drop it silently.");

    private static Dictionary<string, JsonElement> Decode(JsonElement value, GoField[] type, string path)
    {
        value.ValueKind.ShouldBe(JsonValueKind.Object, path);
        var fields = new Dictionary<string, JsonElement>();
        foreach (var property in value.EnumerateObject())
        {
            var field = Resolve(type, property.Name, path);
            fields.ContainsKey(field.Name).ShouldBeFalse($"{path}.{field.Name} appears twice");
            CheckKind(property.Value, field, $"{path}.{field.Name}");
            fields[field.Name] = property.Value;
        }
        foreach (var required in type.Where(f => !f.OmitEmpty))
            fields.ShouldContainKey(required.Name, $"{path} lacks {required.Name}, which Go always writes");
        return fields;
    }

    private static void CheckKind(JsonElement value, GoField field, string path)
    {
        switch (field.Kind)
        {
            case Kind.Int:
                value.ValueKind.ShouldBe(JsonValueKind.Number, path);
                value.TryGetInt32(out _).ShouldBeTrue($"{path} must be a Go int");
                break;
            case Kind.Float:
                value.ValueKind.ShouldBe(JsonValueKind.Number, path);
                break;
            case Kind.String:
                value.ValueKind.ShouldBe(JsonValueKind.String, path);
                break;
            case Kind.Bool:
                value.ValueKind.ShouldBeOneOf([JsonValueKind.True, JsonValueKind.False], path);
                break;
            case Kind.Object:
            case Kind.MapOfIntToRegion:
                value.ValueKind.ShouldBeOneOf([JsonValueKind.Object, JsonValueKind.Null], path);
                break;
            case Kind.SliceOfNodes:
                value.ValueKind.ShouldBeOneOf([JsonValueKind.Array, JsonValueKind.Null], path);
                break;
        }
    }

    /// <summary>Reads the policy file as Tailscale does (HuJSON: comments and trailing commas allowed) and decodes its derpMap.</summary>
    private static List<(int Key, Dictionary<string, JsonElement> Region, List<Dictionary<string, JsonElement>> Nodes)> DecodePolicy(string policy,
        out Dictionary<string, JsonElement> derpMap)
    {
        using var document = JsonDocument.Parse(policy, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var root = document.RootElement.Clone();
        root.TryGetProperty("derpMap", out var map).ShouldBeTrue("a tailnet policy carries its DERP map under \"derpMap\"");
        derpMap = Decode(map, DerpMap, "derpMap");
        var regions = new List<(int, Dictionary<string, JsonElement>, List<Dictionary<string, JsonElement>>)>();
        foreach (var entry in derpMap["Regions"].EnumerateObject())
        {
            int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var key).ShouldBeTrue("Regions is a map[int]");
            var region = Decode(entry.Value, DerpRegion, $"Regions[{key}]");
            var nodes = region["Nodes"].EnumerateArray().Select((n, i) => Decode(n, DerpNode, $"Regions[{key}].Nodes[{i}]")).ToList();
            regions.Add((key, region, nodes));
        }
        return regions;
    }

    private static string Policy(params RelayNode[] relays) =>
        PolicyDocuments.TailscalePolicy(relays, 1, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(32), ["nodekey:" + new string('1', 64)]);

    [Fact]
    public void Three_relays_decode_into_three_tailcfg_regions_with_custom_ids_and_nodes()
    {
        var regions = DecodePolicy(Policy(ThreeRelays), out var derpMap);

        derpMap["OmitDefaultRegions"].GetBoolean().ShouldBeTrue();
        regions.Count.ShouldBe(3);
        regions.Select(r => r.Key).ShouldBe([900, 901, 902]);
        regions.Select(r => r.Region["RegionCode"].GetString()).ShouldBeUnique();
        for (var i = 0; i < 3; i++)
        {
            var (key, region, nodes) = regions[i];
            var relay = ThreeRelays[i];
            region["RegionID"].GetInt32().ShouldBe(key, "the map key is the region's id");
            region["RegionName"].GetString().ShouldBe(relay.RegionName);
            var node = nodes.ShouldHaveSingleItem();
            node["RegionID"].GetInt32().ShouldBe(key);
            node["Name"].GetString().ShouldNotBeNullOrEmpty();
            node["HostName"].GetString().ShouldBe(relay.HostName);
            IPAddress.Parse(node["IPv4"].GetString()!).AddressFamily.ShouldBe(AddressFamily.InterNetwork);
            node["DERPPort"].GetInt32().ShouldBe(relay.DerpPort);
            node["STUNPort"].GetInt32().ShouldBe(relay.StunPort);
            node.ContainsKey("CertName").ShouldBe(relay.CertName is not null);
        }
        regions[0].Nodes[0]["CertName"].GetString()!.ShouldMatch("^sha256-raw:[0-9a-f]{64}$");
    }

    [Fact]
    public void A_renter_with_one_relay_left_still_gets_a_valid_map()
    {
        var regions = DecodePolicy(Policy(ThreeRelays[1]), out var derpMap);

        derpMap["OmitDefaultRegions"].GetBoolean().ShouldBeTrue();
        var (key, region, nodes) = regions.ShouldHaveSingleItem();
        key.ShouldBe(900);
        region["RegionCode"].GetString().ShouldBe("sin");
        nodes.ShouldHaveSingleItem()["HostName"].GetString().ShouldBe("relay-sin.example.net");
    }

    [Fact]
    public void Two_relays_in_one_region_keep_region_codes_unique()
    {
        var regions = DecodePolicy(Policy(ThreeRelays[1], ThreeRelays[1] with { HostName = "relay-sin-2.example.net" }), out _);
        regions.Select(r => r.Region["RegionCode"].GetString()).ShouldBe(["sin", "sin-2"]);
    }

    [Fact]
    public void The_policy_file_is_HuJSON_with_comments_and_a_default_rule()
    {
        var policy = Policy(ThreeRelays);
        policy.ShouldStartWith("//");
        Should.Throw<JsonException>(() => JsonDocument.Parse(policy)); // comments make it HuJSON, not plain JSON
        using var document = JsonDocument.Parse(policy, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        document.RootElement.GetProperty("acls")[0].GetProperty("action").GetString().ShouldBe("accept");
        policy.ShouldContain("nodekey:" + new string('1', 64)); // the admitted devices are listed for the renter
    }

    [Fact]
    public void The_headscale_map_uses_tailcfg_field_names_as_yaml_v3_decodes_them()
    {
        var yaml = PolicyDocuments.HeadscaleDerpMap(ThreeRelays, 4, DateTimeOffset.UtcNow);
        var regionFields = DerpRegion.Select(f => f.Name.ToLowerInvariant()).ToHashSet();
        var nodeFields = DerpNode.Select(f => f.Name.ToLowerInvariant()).ToHashSet();

        var regionIds = new List<int>();
        foreach (var line in yaml.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var match = YamlKey().Match(line);
            match.Success.ShouldBeTrue($"unexpected line: {line}");
            var (indent, key) = (match.Groups[1].Value.Length, match.Groups[2].Value);
            switch (indent)
            {
                case 0: key.ShouldBe("regions"); break;
                case 2: regionIds.Add(int.Parse(key, CultureInfo.InvariantCulture)); break;
                case 4: regionFields.ShouldContain(key); break;
                default: nodeFields.ShouldContain(key); break;
            }
        }
        regionIds.ShouldBe([900, 901, 902]);
        yaml.ShouldContain("certname: \"sha256-raw:");
        yaml.ShouldContain("derpport: 30002");
        yaml.ShouldContain("stunport: 31003");
    }

    [GeneratedRegex(@"^( *)(?:- )?([A-Za-z0-9]+):")]
    private static partial Regex YamlKey();
}
