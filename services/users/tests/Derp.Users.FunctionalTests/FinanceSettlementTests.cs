using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Serials;
using Derp.Contracts.Users;
using Derp.TestSupport;
using Derp.Users.Api.Infrastructure;
using Derp.Users.Api.Jobs;
using Derp.Users.Api.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Users.FunctionalTests;

/// <summary>users with its real settlement client, talking over a socket (through a forwarder a test can cut) to a finance stand-in.</summary>
public sealed class FinanceSettlementFactory : UsersApiFactory
{
    public FinanceStandIn Finance { get; private set; } = null!;
    public TcpForwarder ToFinance { get; private set; } = null!;

    protected override bool EveryAccountSettled => false;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => base.Settings()
        .Append(new("Finance:BaseUrl", $"http://127.0.0.1:{ToFinance.Port}/"))
        .Append(new("Finance:Timeout", "00:00:02"))
        // The tests run the deregistration job themselves; a scheduled run at :10 would race them to the audit row.
        .Append(new("Jobs:Enabled", "false"));

    public override async ValueTask InitializeAsync()
    {
        Finance = await FinanceStandIn.StartAsync();
        ToFinance = new TcpForwarder(Finance.BaseUrl.Host, Finance.BaseUrl.Port);
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await ToFinance.DisposeAsync();
        await Finance.DisposeAsync();
    }
}

/// <summary>Requirements §1.4: the 30-day deregistration closes only accounts finance calls settled.</summary>
public sealed class FinanceSettlementTests(FinanceSettlementFactory factory) : IClassFixture<FinanceSettlementFactory>
{
    private async Task WithScopeAsync(Func<IServiceProvider, Task> action)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await action(scope.ServiceProvider);
    }

    /// <summary>A renter whose 3-day rental expired 31 days ago: due for deregistration if settled.</summary>
    private async Task<Guid> LapsedRenterAsync()
    {
        var tokens = await factory.CreateClient().RegisterVerifiedAsync();
        var userId = (await factory.ClientWithToken(tokens.AccessToken).GetFromJsonAsync<JsonElement>("/api/users/me")).GetProperty("id").GetGuid();
        using (var watcher = ConsumeWatcher.Attach(factory.Services))
        {
            var messageId = Guid.NewGuid();
            await RabbitMqProbe.SendToConsumerAsync(factory.EndpointPrefix,
                new SerialRedeemed(Guid.NewGuid(), "VIP-TEST", userId, "rental", "membership", null, 3, null, null, null, null, DateTimeOffset.UtcNow), messageId);
            await watcher.ConsumedAsync(messageId);
        }
        factory.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        await WithScopeAsync(sp => sp.GetRequiredService<RentalLifecycle>().ExpireDueAsync(CancellationToken.None));
        factory.Clock.Advance(TimeSpan.FromDays(31));
        return userId;
    }

    /// <summary>Runs the hourly job once and returns the renter's status and the deregistration_blocked audit rows about them.</summary>
    private async Task<(string Status, List<string> Blocked)> RunJobAsync(Guid userId)
    {
        (string, List<string>) result = default;
        await WithScopeAsync(async sp =>
        {
            await ActivatorUtilities.CreateInstance<DeregistrationJob>(sp).DeregisterLapsedAsync(CancellationToken.None);
            var db = sp.GetRequiredService<UsersContext>();
            var status = (await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId)).Status;
            var blocked = await db.AuditEntries.AsNoTracking().Where(a => a.UserId == userId && a.Action == AuditActions.DeregistrationBlocked)
                .OrderBy(a => a.Id).Select(a => a.Detail!).ToListAsync();
            result = (status, blocked);
        });
        return result;
    }

    [Fact]
    public async Task An_unsettled_account_is_kept_and_audited_once_a_day_until_finance_settles_it()
    {
        var userId = await LapsedRenterAsync();
        factory.Finance.Unsettled(userId, 1200, "balance", "unpaid_order");

        var (status, blocked) = await RunJobAsync(userId);
        status.ShouldBe(UserStatuses.Active);
        blocked.ShouldHaveSingleItem().ShouldContain("balance, unpaid_order");
        blocked[0].ShouldContain("1200");

        factory.Clock.Advance(TimeSpan.FromHours(1)); // the next hourly run: still kept, no second alert the same day
        (status, blocked) = await RunJobAsync(userId);
        status.ShouldBe(UserStatuses.Active);
        blocked.Count.ShouldBe(1);

        factory.Clock.Advance(TimeSpan.FromDays(1));
        (status, blocked) = await RunJobAsync(userId);
        status.ShouldBe(UserStatuses.Active);
        blocked.Count.ShouldBe(2);

        factory.Finance.Settled(userId); // the admin refunded or forfeited the balance in finance
        (status, _) = await RunJobAsync(userId);
        status.ShouldBe(UserStatuses.Deregistered);
    }

    [Fact]
    public async Task Finance_unreachable_hanging_failing_or_garbled_means_not_settled_and_the_next_run_goes_on()
    {
        var userId = await LapsedRenterAsync();

        factory.ToFinance.Cut();
        try
        {
            var (status, blocked) = await RunJobAsync(userId);
            status.ShouldBe(UserStatuses.Active);
            blocked.ShouldHaveSingleItem().ShouldContain("could not be asked");
        }
        finally
        {
            factory.ToFinance.Restore();
        }

        factory.ToFinance.Pause(); // connects, then never answers: the client's short timeout ends the wait
        try
        {
            (await RunJobAsync(userId)).Status.ShouldBe(UserStatuses.Active);
        }
        finally
        {
            factory.ToFinance.Resume();
        }

        factory.Finance.Fails(userId);
        (await RunJobAsync(userId)).Status.ShouldBe(UserStatuses.Active);

        factory.Finance.AnswersGarbage(userId);
        (await RunJobAsync(userId)).Status.ShouldBe(UserStatuses.Active);

        factory.Finance.Settled(userId);
        (await RunJobAsync(userId)).Status.ShouldBe(UserStatuses.Deregistered);
    }
}
