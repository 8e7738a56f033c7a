using System.Net;
using System.Net.Http.Json;
using Derp.Contracts.Finance;
using Derp.Finance.Api.Apis;
using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.Model;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Finance.FunctionalTests;

/// <summary>Wallets through HTTP: a renter sees only their own, admins list and adjust them, never below zero.</summary>
public sealed class WalletsApiTests(FinanceApiFactory factory) : IClassFixture<FinanceApiFactory>
{
    private async Task<HttpResponseMessage> AdjustAsync(HttpClient admin, Guid userId, long amountCents, string? reason = "correction") =>
        await admin.PostAsJsonAsync($"/api/finance/wallets/{userId}/adjustments", new { amountCents, reason });

    private async Task<T> InDbAsync<T>(Func<FinanceContext, Task<T>> read)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<FinanceContext>());
    }

    [Fact]
    public async Task A_renter_sees_their_own_balance_and_ledger_from_the_token()
    {
        var admin = factory.Admin();
        var (alice, bob) = (Guid.NewGuid(), Guid.NewGuid());
        (await AdjustAsync(admin, alice, 1_000, "welcome credit")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AdjustAsync(admin, alice, -250, "typo fix")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AdjustAsync(admin, bob, 500)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var renter = factory.Renter(alice);
        var wallet = await renter.GetFromJsonAsync<WalletResponse>("/api/finance/me/wallet");
        wallet.ShouldBe(new WalletResponse(750, Currencies.Cny));
        var ledger = await renter.GetFromJsonAsync<PagedResponse<LedgerEntryResponse>>("/api/finance/me/wallet/ledger");
        ledger!.Total.ShouldBe(2);
        ledger.Items.Select(e => e.AmountCents).Order().ShouldBe([-250L, 1_000L]);
        ledger.Items.Single(e => e.AmountCents == 1_000).ShouldSatisfyAllConditions(
            e => e.Type.ShouldBe(LedgerEntryTypes.Adjustment),
            e => e.BalanceAfterCents.ShouldBe(1_000),
            e => e.Remark.ShouldBe("welcome credit"),
            e => e.OperatorId.ShouldNotBeNull());
        ledger.Items.Single(e => e.AmountCents == -250).BalanceAfterCents.ShouldBe(750);

        // Someone with no wallet yet has nothing, not an error.
        (await factory.Renter(Guid.NewGuid()).GetFromJsonAsync<WalletResponse>("/api/finance/me/wallet"))!.BalanceCents.ShouldBe(0);
        (await factory.Renter(Guid.NewGuid()).GetFromJsonAsync<PagedResponse<LedgerEntryResponse>>("/api/finance/me/wallet/ledger"))!.Total.ShouldBe(0);
    }

    [Fact]
    public async Task Renters_and_distributors_cannot_reach_the_admin_wallet_endpoints()
    {
        var victim = Guid.NewGuid();
        (await AdjustAsync(factory.Admin(), victim, 900)).StatusCode.ShouldBe(HttpStatusCode.OK);

        foreach (var client in new[] { factory.Renter(Guid.NewGuid()), factory.ClientAs(Guid.NewGuid(), Roles.Distributor) })
        {
            (await client.GetAsync("/api/finance/wallets")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await client.GetAsync($"/api/finance/wallets/{victim}/ledger")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await AdjustAsync(client, victim, 100)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }
        (await factory.CreateClient().GetAsync("/api/finance/me/wallet")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await factory.ClientAs(Guid.NewGuid(), Roles.Admin).GetFromJsonAsync<PagedResponse<LedgerEntryResponse>>($"/api/finance/wallets/{victim}/ledger"))!
            .Items.Single().AmountCents.ShouldBe(900);
        (await InDbAsync(db => db.Wallets.SingleAsync(w => w.UserId == victim))).BalanceCents.ShouldBe(900);
    }

    [Fact]
    public async Task Admins_list_wallets_with_the_renters_email_and_filter_them()
    {
        var admin = factory.Admin();
        var (rich, poor) = (Guid.NewGuid(), Guid.NewGuid());
        await InDbAsync(async db =>
        {
            db.Renters.Add(new Renter { UserId = rich, Email = "rich@example.test", UpdatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });
        (await AdjustAsync(admin, rich, 1_234_567)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AdjustAsync(admin, poor, 1)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var one = await admin.GetFromJsonAsync<PagedResponse<AdminWalletResponse>>($"/api/finance/wallets?userId={rich}");
        one!.Items.Single().ShouldSatisfyAllConditions(
            w => w.UserEmail.ShouldBe("rich@example.test"),
            w => w.BalanceCents.ShouldBe(1_234_567),
            w => w.Currency.ShouldBe(Currencies.Cny));
        (await admin.GetFromJsonAsync<PagedResponse<AdminWalletResponse>>($"/api/finance/wallets?userId={poor}"))!.Items.Single().UserEmail.ShouldBeNull();

        var big = await admin.GetFromJsonAsync<PagedResponse<AdminWalletResponse>>("/api/finance/wallets?minBalanceCents=1000000&pageSize=200");
        big!.Items.ShouldContain(w => w.UserId == rich);
        big.Items.ShouldNotContain(w => w.UserId == poor);
        var paged = await admin.GetFromJsonAsync<PagedResponse<AdminWalletResponse>>("/api/finance/wallets?page=1&pageSize=1");
        paged!.Items.Count.ShouldBe(1);
        paged.Total.ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task An_adjustment_is_audited_with_its_operator_and_reason()
    {
        var adminId = Guid.NewGuid();
        var user = Guid.NewGuid();
        var response = await AdjustAsync(factory.ClientAs(adminId, Roles.SuperAdmin), user, 4_200, "  compensation for outage  ");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var entry = await response.Content.ReadFromJsonAsync<LedgerEntryResponse>();
        entry!.ShouldSatisfyAllConditions(
            e => e.Remark.ShouldBe("compensation for outage"),
            e => e.OperatorId.ShouldBe(adminId),
            e => e.BalanceAfterCents.ShouldBe(4_200));

        var audit = await InDbAsync(db => db.Audit.SingleAsync(a => a.TargetId == user.ToString()));
        audit.Action.ShouldBe(FinanceAuditActions.WalletAdjusted);
        audit.ActorId.ShouldBe(adminId);
        audit.DetailsJson.ShouldNotBeNull().ShouldContain("compensation for outage");
    }

    [Fact]
    public async Task Bad_adjustments_are_problems_and_change_nothing()
    {
        var admin = factory.Admin();
        var user = Guid.NewGuid();
        (await AdjustAsync(admin, user, 300)).StatusCode.ShouldBe(HttpStatusCode.OK);

        foreach (var (amount, reason) in new (long, string?)[] { (0, "zero"), (100, null), (100, "   "), (100, new string('x', 201)), (2_000_000_000, "huge"), (-2_000_000_000, "huge") })
        {
            var response = await AdjustAsync(admin, user, amount, reason);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await response.ProblemCodeAsync()).ShouldBe("validation_failed");
        }
        var overdraw = await AdjustAsync(admin, user, -301);
        overdraw.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await overdraw.ProblemCodeAsync()).ShouldBe(FinanceProblemCodes.InsufficientBalance);
        var stranger = await AdjustAsync(admin, Guid.NewGuid(), -1);
        (await stranger.ProblemCodeAsync()).ShouldBe(FinanceProblemCodes.InsufficientBalance);

        var malformed = await admin.PostAsync($"/api/finance/wallets/{user}/adjustments", new StringContent("{\"amountCents\":\"lots\"}", System.Text.Encoding.UTF8, "application/json"));
        malformed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await malformed.ProblemCodeAsync()).ShouldBe("malformed_json");
        var badPage = await admin.GetAsync($"/api/finance/wallets/{user}/ledger?page=0");
        (await badPage.ProblemCodeAsync()).ShouldBe("validation_failed");
        (await admin.GetAsync("/api/finance/wallets?pageSize=100000")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await admin.GetAsync("/api/finance/wallets/not-a-guid/ledger")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await InDbAsync(db => db.Ledger.CountAsync(e => e.UserId == user))).ShouldBe(1);
        (await InDbAsync(db => db.Audit.CountAsync(a => a.TargetId == user.ToString()))).ShouldBe(1);
    }

    [Fact]
    public async Task Twenty_parallel_debits_that_together_exceed_the_balance_take_only_what_fits()
    {
        var admin = factory.Admin();
        var user = Guid.NewGuid();
        (await AdjustAsync(admin, user, 1_000)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => AdjustAsync(factory.Admin(), user, -300, $"debit {i}")));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(3);
        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.OK).ToList();
        refused.Count.ShouldBe(17);
        foreach (var response in refused)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await response.ProblemCodeAsync()).ShouldBe(FinanceProblemCodes.InsufficientBalance);
        }
        var wallet = await factory.Renter(user).GetFromJsonAsync<WalletResponse>("/api/finance/me/wallet");
        wallet!.BalanceCents.ShouldBe(100);
        (await InDbAsync(db => db.Ledger.Where(e => e.UserId == user).SumAsync(e => e.AmountCents))).ShouldBe(100);
        (await InDbAsync(db => db.Audit.CountAsync(a => a.TargetId == user.ToString()))).ShouldBe(4);
    }
}
