using Derp.Contracts.Servers;
using Derp.Servers.Api.Model;
using Derp.Servers.Api.Services;

namespace Derp.Servers.UnitTests;

/// <summary>Requirements §6: where a renter's three relays go.</summary>
public sealed class PlacementTests
{
    private const int Three = 3;

    private static PlacementHost Host(string name, string region, int capacity = 10, int live = 0, string status = ServerStatuses.Active,
        int portStart = 30000, int portEnd = 30999, IEnumerable<int>? ports = null) =>
        new(new Server
        {
            Id = Guid.NewGuid(),
            Name = name,
            PublicIp = "192.0.2.1",
            HostName = "192.0.2.1",
            RegionCode = region,
            RegionName = region,
            SshHost = "127.0.0.1",
            SshUser = "derp",
            SshPrivateKeyProtected = "",
            HostKeyFingerprint = "",
            HostKey = "",
            DockerSocket = "/run/docker.sock",
            Capacity = capacity,
            PortRangeStart = portStart,
            PortRangeEnd = portEnd,
            Status = status,
        }, (ports ?? Enumerable.Range(0, live).Select(i => portStart + 2 * i)).ToList());

    private static PlacementPlan Plan(IEnumerable<PlacementHost> hosts, IReadOnlyCollection<string>? kept = null, IEnumerable<PlacementHost>? used = null,
        IEnumerable<PlacementHost>? avoided = null) =>
        Placement.Plan(Three, kept ?? [], (used ?? []).Select(h => h.Server.Id).ToHashSet(), hosts, (avoided ?? []).Select(h => h.Server.Id).ToHashSet());

    private static string[] Names(PlacementPlan plan) => plan.Relays.Select(r => r.Server.Name).ToArray();

    [Fact]
    public void Three_relays_go_to_three_regions_on_their_least_loaded_hosts()
    {
        PlacementHost[] hosts =
        [
            Host("hkg-1", "hkg", live: 5), Host("hkg-2", "hkg", live: 1),
            Host("sgp-1", "sgp", live: 2), Host("sgp-2", "sgp", live: 9),
            Host("tyo-1", "tyo", live: 3),
        ];

        var plan = Plan(hosts);

        Names(plan).ShouldBe(["hkg-2", "sgp-1", "tyo-1"]);
        plan.Total.ShouldBe(3);
        plan.Shortfall.ShouldBe(PlacementShortfall.None);
    }

    [Fact]
    public void Load_is_relative_to_the_hosts_slots()
    {
        // 4 of 40 is less loaded than 2 of 10, though it runs more relays.
        var plan = Plan([Host("small", "hkg", capacity: 10, live: 2), Host("big", "hkg", capacity: 40, live: 4), Host("sgp", "sgp"), Host("tyo", "tyo")]);

        Names(plan).ShouldContain("big");
        Names(plan).ShouldNotContain("small");
    }

    [Fact]
    public void Only_active_hosts_take_relays()
    {
        PlacementHost[] hosts =
        [
            Host("draining", "hkg", status: ServerStatuses.Draining), Host("unhealthy", "sgp", status: ServerStatuses.Unhealthy),
            Host("removed", "tyo", status: ServerStatuses.Removed), Host("active", "fra", live: 9),
        ];

        var plan = Plan(hosts);

        Names(plan).ShouldBe(["active"]);
        plan.Shortfall.ShouldBe(PlacementShortfall.Capacity);
    }

    [Fact]
    public void Regions_share_only_when_there_are_not_enough_of_them_and_that_is_reported()
    {
        var plan = Plan([Host("hkg-1", "hkg"), Host("hkg-2", "hkg", live: 1), Host("sgp-1", "sgp", live: 2)]);

        Names(plan).ShouldBe(["hkg-1", "sgp-1", "hkg-2"]);
        plan.Total.ShouldBe(3);
        plan.Shortfall.ShouldBe(PlacementShortfall.Regions);
    }

    [Fact]
    public void A_fuller_host_in_a_new_region_beats_an_emptier_one_in_a_region_already_used()
    {
        var plan = Plan([Host("hkg-1", "hkg"), Host("hkg-2", "hkg"), Host("hkg-3", "hkg"), Host("sgp-1", "sgp", live: 9)]);

        Names(plan).ShouldBe(["hkg-1", "sgp-1", "hkg-2"]);
    }

    [Fact]
    public void Fewer_hosts_than_relays_gives_what_there_is_and_reports_capacity()
    {
        var plan = Plan([Host("hkg-1", "hkg"), Host("sgp-1", "sgp")]);

        Names(plan).ShouldBe(["hkg-1", "sgp-1"]);
        plan.Total.ShouldBe(2);
        plan.Shortfall.ShouldBe(PlacementShortfall.Capacity);
    }

    [Fact]
    public void No_host_with_a_free_slot_is_left_out_while_relays_are_missing()
    {
        // Every host is full but one slot each; the three are in one region.
        PlacementHost[] hosts = [Host("a", "hkg", capacity: 2, live: 1), Host("b", "hkg", capacity: 2, live: 1), Host("c", "hkg", capacity: 2, live: 1), Host("full", "sgp", capacity: 2, live: 2)];

        var plan = Plan(hosts);

        Names(plan).Order().ShouldBe(["a", "b", "c"]);
        plan.Shortfall.ShouldBe(PlacementShortfall.Regions);
    }

    [Fact]
    public void No_active_host_with_a_free_slot_is_a_shortfall_of_every_relay()
    {
        var plan = Plan([Host("full", "hkg", capacity: 1, live: 1), Host("draining", "sgp", status: ServerStatuses.Draining)]);

        plan.Relays.ShouldBeEmpty();
        plan.Total.ShouldBe(0);
        plan.Shortfall.ShouldBe(PlacementShortfall.Capacity);
    }

    [Fact]
    public void A_renter_missing_one_relay_gets_it_in_a_region_it_lacks_and_never_on_a_host_it_uses()
    {
        var hkg = Host("hkg-1", "hkg");
        var sgp = Host("sgp-1", "sgp");
        var tyo = Host("tyo-1", "tyo", live: 8);
        var broken = Host("hkg-2", "hkg"); // excluded: its relay failed there

        var plan = Plan([hkg, sgp, tyo, broken], kept: ["hkg", "sgp"], used: [hkg, sgp, broken]);

        Names(plan).ShouldBe(["tyo-1"]);
        plan.Total.ShouldBe(3);
        plan.Shortfall.ShouldBe(PlacementShortfall.None);
    }

    [Fact]
    public void A_host_where_the_renters_relay_failed_lately_is_taken_only_when_no_other_host_can_take_the_relay()
    {
        var hkg = Host("hkg-1", "hkg");
        var sgp = Host("sgp-1", "sgp");
        var tyo = Host("tyo-1", "tyo");
        var tyoSpare = Host("tyo-2", "tyo", live: 9);

        // Another host in the region is there: the failed one is passed over, even though it is less loaded.
        Names(Plan([hkg, sgp, tyo, tyoSpare], kept: ["hkg", "sgp"], used: [hkg, sgp], avoided: [tyo])).ShouldBe(["tyo-2"]);
        // A host in a region the renter already has beats the failed one too (a shared region is a warning, no relay is short).
        Names(Plan([hkg, sgp, tyo, Host("sgp-2", "sgp")], kept: ["hkg", "sgp"], used: [hkg, sgp], avoided: [tyo])).ShouldBe(["sgp-2"]);
        // No other host: a relay on the failed host beats none (a small fleet is not left two relays for a day).
        var plan = Plan([hkg, sgp, tyo], kept: ["hkg", "sgp"], used: [hkg, sgp], avoided: [tyo]);
        Names(plan).ShouldBe(["tyo-1"]);
        plan.Shortfall.ShouldBe(PlacementShortfall.None);
    }

    [Fact]
    public void A_renter_with_all_its_relays_gets_none()
    {
        var plan = Plan([Host("hkg-1", "hkg")], kept: ["hkg", "sgp", "tyo"]);

        plan.Relays.ShouldBeEmpty();
        plan.Shortfall.ShouldBe(PlacementShortfall.None);
    }

    [Fact]
    public void Slots_are_bounded_by_the_port_range_as_well_as_the_capacity()
    {
        // 100 of capacity but room for two relays (four ports): both taken.
        var narrow = Host("narrow", "hkg", capacity: 100, portStart: 30000, portEnd: 30003, live: 2);

        narrow.Server.Slots.ShouldBe(2);
        Names(Plan([narrow, Host("sgp-1", "sgp")])).ShouldBe(["sgp-1"]);
    }

    [Fact]
    public void Ports_are_the_lowest_free_pair_in_the_hosts_range()
    {
        var host = Host("hkg-1", "hkg", portStart: 31000, portEnd: 31999, ports: [31000, 31004]);

        var relay = Plan([host]).Relays.Single();

        (relay.DerpPort, relay.StunPort).ShouldBe((31002, 31003));
    }

    [Fact]
    public void Relays_placed_one_after_another_never_share_a_port_on_a_host_and_stay_in_its_range()
    {
        var host = Host("only", "hkg", capacity: 50, portStart: 30100, portEnd: 30199);
        var taken = new List<int>();

        for (var renter = 0; renter < 50; renter++)
        {
            var relay = Plan([host with { LiveDerpPorts = taken.ToList() }]).Relays.Single();
            taken.Add(relay.DerpPort);
            relay.StunPort.ShouldBe(relay.DerpPort + 1);
            relay.DerpPort.ShouldBeInRange(30100, 30198);
            relay.StunPort.ShouldBeInRange(30101, 30199);
        }

        taken.Distinct().Count().ShouldBe(50);
        Plan([host with { LiveDerpPorts = taken.ToList() }]).Relays.ShouldBeEmpty(); // the range is full
    }
}
