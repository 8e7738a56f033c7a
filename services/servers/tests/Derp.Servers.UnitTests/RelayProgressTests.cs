using Derp.Contracts.Servers;
using Derp.Servers.Api.Apis;
using Derp.Servers.Api.Model;

namespace Derp.Servers.UnitTests;

/// <summary>What a renter is told about their relay set and each relay's progress (the "My relays" home).</summary>
public sealed class RelayProgressTests
{
    private static Renter Renter(bool active = true, bool overQuota = false, bool deregistered = false, bool rental = true) =>
        new() { UserId = Guid.NewGuid(), RentalId = rental ? Guid.NewGuid() : null, RentalActive = active, OverQuota = overQuota, Deregistered = deregistered };

    private static RelayContainer Container(string state, string? dockerId = "abc", bool? probeOk = null) =>
        new() { Id = Guid.NewGuid(), Name = "r", State = state, DockerId = dockerId, ProbeOk = probeOk };

    [Fact]
    public void No_renter_or_no_rental_is_none()
    {
        RelayProgress.SetState(null, [], 3).ShouldBe((RelaySetStates.None, (string?)null));
        RelayProgress.SetState(Renter(rental: false), [], 3).ShouldBe((RelaySetStates.None, (string?)null));
    }

    [Theory]
    [InlineData(false, false, false, RelayStopReasons.Expired)]
    [InlineData(true, true, false, RelayStopReasons.OverQuota)]
    [InlineData(true, false, true, RelayStopReasons.Closed)]
    [InlineData(false, true, true, RelayStopReasons.Closed)]
    public void A_set_that_should_not_run_is_stopped_with_its_reason(bool active, bool overQuota, bool deregistered, string reason) =>
        RelayProgress.SetState(Renter(active, overQuota, deregistered), [ContainerStates.Stopped], 3).ShouldBe((RelaySetStates.Stopped, (string?)reason));

    [Fact]
    public void A_set_runs_only_when_every_wanted_relay_runs()
    {
        var renter = Renter();
        RelayProgress.SetState(renter, [], 3).State.ShouldBe(RelaySetStates.Provisioning);
        RelayProgress.SetState(renter, [ContainerStates.Running, ContainerStates.Running, ContainerStates.Pending], 3).State.ShouldBe(RelaySetStates.Provisioning);
        RelayProgress.SetState(renter, [ContainerStates.Running, ContainerStates.Running], 3).State.ShouldBe(RelaySetStates.Provisioning);
        // A relay being moved off a drained host leaves four live rows for a moment: not running until the new one runs.
        RelayProgress.SetState(renter, [ContainerStates.Running, ContainerStates.Running, ContainerStates.Running, ContainerStates.Pending], 3).State
            .ShouldBe(RelaySetStates.Provisioning);
        RelayProgress.SetState(renter, [ContainerStates.Running, ContainerStates.Running, ContainerStates.Running], 3).State.ShouldBe(RelaySetStates.Running);
    }

    [Fact]
    public void Steps_follow_the_relay_from_placement_to_answering()
    {
        static string[] Done(RelayContainer c, bool announced) =>
            RelayProgress.Steps(c, announced).Where(s => s.Done).Select(s => s.Step).ToArray();

        RelayProgress.Steps(Container(ContainerStates.Pending, dockerId: null), false).Select(s => s.Step).ShouldBe(ProvisioningSteps.All);
        Done(Container(ContainerStates.Pending, dockerId: null), false).ShouldBe([ProvisioningSteps.Placed]);
        Done(Container(ContainerStates.Exited), false).ShouldBe([ProvisioningSteps.Placed, ProvisioningSteps.Created]);
        Done(Container(ContainerStates.Running), false).ShouldBe([ProvisioningSteps.Placed, ProvisioningSteps.Created, ProvisioningSteps.Started]);
        Done(Container(ContainerStates.Running), true).ShouldBe([ProvisioningSteps.Placed, ProvisioningSteps.Created, ProvisioningSteps.Started, ProvisioningSteps.Announced]);
        Done(Container(ContainerStates.Running, probeOk: true), true).ShouldBe(ProvisioningSteps.All);
        // A stopped relay's last good probe and its announcement say nothing about now.
        Done(Container(ContainerStates.Stopped, probeOk: true), true).ShouldBe([ProvisioningSteps.Placed, ProvisioningSteps.Created]);
    }
}
