using System.Net;
using System.Net.Http.Json;
using Derp.Contracts.Distribution;
using Derp.Contracts.Finance;
using Derp.Distribution.Api.Apis;
using Derp.Distribution.Api.Model;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Problems;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Derp.Distribution.FunctionalTests;

/// <summary>Attribution, commission from paid rental orders, its holding period, refunds, payouts and wallet transfers (requirements §9.4–§9.5).</summary>
public sealed class CommissionTests(DistributionApiFactory factory) : IClassFixture<DistributionApiFactory>
{
    private readonly CommissionDriver _driver = new(factory);

    private Task<List<Commission>> RowsAsync(Guid distributorId) =>
        _driver.InDbAsync(db => db.Commissions.AsNoTracking().Where(c => c.DistributorId == distributorId).OrderBy(c => c.EarnedAt).ThenBy(c => c.Id).ToListAsync());

    private async Task<long> AvailableAsync(Guid distributorId) => (await _driver.DashboardAsync(distributorId)).Figures.Commissions.AvailableCents;

    [Fact]
    public async Task The_first_attribution_stays_and_is_published_once()
    {
        await using var probe = await RabbitMqProbe.ForEventAsync<RenterAttributed>();
        var (first, _) = await _driver.DistributorAsync();
        var (second, _) = await _driver.DistributorAsync();
        var renter = Guid.NewGuid();

        var firstMessage = await _driver.RedeemAsync(renter, first);
        await _driver.SendAsync(CommissionDriver.Redemption(renter, first), firstMessage); // redelivered
        await _driver.RedeemAsync(renter, second); // a later serial of another distributor
        await _driver.RedeemAsync(renter, null); // a platform serial

        var attribution = await _driver.InDbAsync(db => db.Attributions.SingleAsync(a => a.RenterId == renter));
        attribution.DistributorId.ShouldBe(first);
        var published = await probe.WaitForAsync(m => m.GetProperty("renterId").GetGuid() == renter, TimeSpan.FromSeconds(30));
        published.GetProperty("distributorId").GetGuid().ShouldBe(first);
        // Every redemption was consumed (inbox) before this count, and an event leaves in its consumer's transaction.
        var events = await _driver.InDbAsync(db => db.Set<Derp.ServiceDefaults.Messaging.OutboxMessage>().AsNoTracking()
            .Where(m => m.MessageType.Contains(nameof(RenterAttributed))).Select(m => m.Payload).ToListAsync());
        events.Count(p => p.Contains(renter.ToString(), StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task A_distributor_does_not_attribute_themselves()
    {
        var (distributor, _) = await _driver.DistributorAsync();
        await _driver.RedeemAsync(distributor, distributor);
        (await _driver.InDbAsync(db => db.Attributions.AnyAsync(a => a.RenterId == distributor))).ShouldBeFalse();
    }

    [Fact]
    public async Task A_renewal_earns_pending_commission_that_becomes_available_is_locked_by_a_payout_and_paid_with_a_reference()
    {
        var (distributor, tier) = await _driver.DistributorAsync(rateBasisPoints: 1500, holdingDays: 7, minimumPayoutCents: 100);
        var renter = await _driver.RenterOfAsync(distributor);
        var order = await _driver.PayAsync(renter, 2_990); // 15 % = 448.5 fen, rounded half up
        await _driver.PayAsync(renter, 50_000, OrderTypes.SerialPurchase); // not a rental: nothing
        await _driver.PayAsync(Guid.NewGuid(), 50_000); // a renter nobody brought: nothing

        var rows = await RowsAsync(distributor);
        var commission = rows.ShouldHaveSingleItem();
        commission.ShouldSatisfyAllConditions(
            c => c.OrderId.ShouldBe(order.OrderId),
            c => c.Status.ShouldBe(CommissionStatuses.Pending),
            c => c.BaseCents.ShouldBe(2_990),
            c => c.RateBasisPoints.ShouldBe(1500),
            c => c.TierCode.ShouldBe(tier),
            c => c.AmountCents.ShouldBe(449),
            c => (c.AvailableAt - order.PaidAt.AddDays(7)).Duration().ShouldBeLessThan(TimeSpan.FromMilliseconds(1))); // PostgreSQL keeps microseconds
        var mine = await factory.Distributor(distributor).GetFromJsonAsync<PagedResponse<CommissionResponse>>("/api/distribution/me/commissions?status=pending");
        mine!.Items.ShouldHaveSingleItem().AmountCents.ShouldBe(449);

        // Not before the holding period is over.
        factory.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        await _driver.RunAvailabilityJobAsync();
        (await RowsAsync(distributor)).Single().Status.ShouldBe(CommissionStatuses.Pending);
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await _driver.RunAvailabilityJobAsync();
        (await RowsAsync(distributor)).Single().Status.ShouldBe(CommissionStatuses.Available);
        var dashboard = await _driver.DashboardAsync(distributor);
        dashboard.ShouldSatisfyAllConditions(
            d => d.TierCode.ShouldBe(tier),
            d => d.RateBasisPoints.ShouldBe(1500),
            d => d.Renters.ShouldBe(1),
            d => d.Figures.Commissions.AvailableCents.ShouldBe(449),
            d => d.Figures.RentalTurnoverCents.ShouldBe(2_990),
            d => d.NextTier!.Code.ShouldBe(tier + "n"),
            d => d.NextTier!.RemainingCents.ShouldBe(500_000 - 2_990),
            d => d.NextTier!.ProgressBasisPoints.ShouldBe(59)); // 2 990 / 500 000

        var requested = await factory.Distributor(distributor).PostAsJsonAsync("/api/distribution/me/payouts", new { });
        requested.StatusCode.ShouldBe(HttpStatusCode.Created);
        var payout = (await requested.Content.ReadFromJsonAsync<PayoutResponse>())!;
        payout.ShouldSatisfyAllConditions(
            p => p.AmountCents.ShouldBe(449),
            p => p.Status.ShouldBe(PayoutStatuses.Requested),
            p => p.PayoutAccount.ShouldBe("test@alipay"));
        (await RowsAsync(distributor)).Single().ShouldSatisfyAllConditions(
            c => c.Status.ShouldBe(CommissionStatuses.Locked),
            c => c.PayoutId.ShouldBe(payout.Id));
        dashboard = await _driver.DashboardAsync(distributor);
        dashboard.Figures.Commissions.LockedCents.ShouldBe(449);
        dashboard.Figures.Commissions.AvailableCents.ShouldBe(0);

        var admin = factory.Admin();
        var listed = await admin.GetFromJsonAsync<PagedResponse<PayoutResponse>>($"/api/distribution/payouts?status=requested&distributorId={distributor}");
        listed!.Items.ShouldHaveSingleItem().Id.ShouldBe(payout.Id);
        var paid = await admin.PostAsJsonAsync($"/api/distribution/payouts/{payout.Id}/pay", new { reference = "ALIPAY-2026-001" });
        paid.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await paid.Content.ReadFromJsonAsync<PayoutResponse>())!.ShouldSatisfyAllConditions(
            p => p.Status.ShouldBe(PayoutStatuses.Paid),
            p => p.Reference.ShouldBe("ALIPAY-2026-001"));
        (await RowsAsync(distributor)).Single().Status.ShouldBe(CommissionStatuses.Paid);
        (await _driver.InDbAsync(db => db.Audit.AnyAsync(a => a.Action == DistributionAuditActions.PayoutPaid && a.TargetId == payout.Id.ToString())))
            .ShouldBeTrue();

        // Paid once: paying again or rejecting it now changes nothing.
        var again = await admin.PostAsJsonAsync($"/api/distribution/payouts/{payout.Id}/pay", new { reference = "ALIPAY-2026-002" });
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await again.ProblemCodeAsync()).ShouldBe(DistributionProblemCodes.PayoutAlreadyDecided);
        var reject = await admin.PostAsJsonAsync($"/api/distribution/payouts/{payout.Id}/reject", new { reason = "late" });
        (await reject.ProblemCodeAsync()).ShouldBe(DistributionProblemCodes.PayoutAlreadyDecided);
        dashboard = await _driver.DashboardAsync(distributor);
        dashboard.Figures.Commissions.PaidCents.ShouldBe(449);
        dashboard.Figures.Payouts.PaidCents.ShouldBe(449);
        dashboard.Figures.Commissions.AvailableCents.ShouldBe(0);
    }

    [Fact]
    public async Task Concurrent_admins_pay_a_payout_once()
    {
        var (distributor, _, _) = await _driver.AvailableCommissionAsync(1_000);
        var payout = (await (await factory.Distributor(distributor).PostAsJsonAsync("/api/distribution/me/payouts", new { }))
            .Content.ReadFromJsonAsync<PayoutResponse>())!;
        var admin = factory.Admin();
        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(i =>
            i % 2 == 0 ? admin.PostAsJsonAsync($"/api/distribution/payouts/{payout.Id}/pay", new { reference = $"R{i}" })
                : admin.PostAsJsonAsync($"/api/distribution/payouts/{payout.Id}/reject", new { reason = $"R{i}" })));
        answers.Count(a => a.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.Conflict).ShouldBe(4);
        var decided = (await admin.GetFromJsonAsync<PagedResponse<PayoutResponse>>($"/api/distribution/payouts?distributorId={distributor}"))!.Items.Single();
        var dashboard = await _driver.DashboardAsync(distributor);
        if (decided.Status == PayoutStatuses.Paid)
            dashboard.Figures.Commissions.ShouldSatisfyAllConditions(c => c.PaidCents.ShouldBe(1_000), c => c.AvailableCents.ShouldBe(0));
        else
            dashboard.Figures.Commissions.ShouldSatisfyAllConditions(c => c.AvailableCents.ShouldBe(1_000), c => c.LockedCents.ShouldBe(0));
    }

    [Fact]
    public async Task A_rejected_payout_returns_its_amount()
    {
        var (distributor, _, _) = await _driver.AvailableCommissionAsync(1_000);
        var requested = await factory.Distributor(distributor).PostAsJsonAsync("/api/distribution/me/payouts", new { amountCents = 600 });
        requested.StatusCode.ShouldBe(HttpStatusCode.Created);
        var payout = (await requested.Content.ReadFromJsonAsync<PayoutResponse>())!;
        payout.AmountCents.ShouldBe(600);
        var dashboard = await _driver.DashboardAsync(distributor);
        dashboard.Figures.Commissions.ShouldSatisfyAllConditions(c => c.LockedCents.ShouldBe(600), c => c.AvailableCents.ShouldBe(400));

        var rejected = await factory.Admin().PostAsJsonAsync($"/api/distribution/payouts/{payout.Id}/reject", new { reason = "account name does not match" });
        rejected.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await rejected.Content.ReadFromJsonAsync<PayoutResponse>())!.Status.ShouldBe(PayoutStatuses.Rejected);
        dashboard = await _driver.DashboardAsync(distributor);
        dashboard.Figures.Commissions.ShouldSatisfyAllConditions(c => c.LockedCents.ShouldBe(0), c => c.AvailableCents.ShouldBe(1_000));
        (await RowsAsync(distributor)).ShouldAllBe(c => c.Status == CommissionStatuses.Available && c.PayoutId == null);
    }

    [Fact]
    public async Task A_refund_before_payout_reverses_the_commission_once()
    {
        var (distributor, _) = await _driver.DistributorAsync();
        var renter = await _driver.RenterOfAsync(distributor);
        var pendingOrder = await _driver.PayAsync(renter, 10_000);
        await _driver.RefundAsync(pendingOrder);
        await _driver.RefundAsync(pendingOrder); // another message for the same order
        var availableOrder = await _driver.PayAsync(renter, 20_000);
        await _driver.MakeAvailableAsync(availableOrder.OrderId);
        await _driver.RefundAsync(availableOrder);

        var rows = await RowsAsync(distributor);
        rows.Count.ShouldBe(2);
        rows.ShouldAllBe(c => c.Status == CommissionStatuses.Reversed && c.ReversedAt != null);
        (await _driver.RunAvailabilityJobAsync()).ShouldBe(0);
        (await RowsAsync(distributor)).ShouldAllBe(c => c.Status == CommissionStatuses.Reversed);
        var dashboard = await _driver.DashboardAsync(distributor);
        dashboard.Figures.Commissions.ShouldSatisfyAllConditions(c => c.AvailableCents.ShouldBe(0), c => c.ReversedCents.ShouldBe(3_000));
        dashboard.Figures.RentalTurnoverCents.ShouldBe(0);
    }

    [Fact]
    public async Task A_refund_that_overtakes_its_payment_on_the_bus_keeps_the_payment_from_earning()
    {
        var (distributor, _) = await _driver.DistributorAsync();
        var renter = await _driver.RenterOfAsync(distributor);
        var order = _driver.Order(renter, 10_000, OrderTypes.Renewal);

        await _driver.RefundAsync(order);                       // the refund arrives first
        await _driver.DeliverPaidAsync(order, Guid.NewGuid());  // then the payment it undid

        (await RowsAsync(distributor)).ShouldBeEmpty();
        (await _driver.DashboardAsync(distributor)).Figures.Commissions.ShouldSatisfyAllConditions(
            c => c.PendingCents.ShouldBe(0), c => c.AvailableCents.ShouldBe(0));
    }

    [Fact]
    public async Task A_refund_after_payout_is_clawed_back_from_later_commission_first()
    {
        var (distributor, renter, first) = await _driver.AvailableCommissionAsync(1_000);
        var payout = (await (await factory.Distributor(distributor).PostAsJsonAsync("/api/distribution/me/payouts", new { }))
            .Content.ReadFromJsonAsync<PayoutResponse>())!;
        (await factory.Admin().PostAsJsonAsync($"/api/distribution/payouts/{payout.Id}/pay", new { reference = "BANK-1" })).EnsureSuccessStatusCode();

        await _driver.RefundAsync(first);
        await _driver.RefundAsync(first); // redelivered under another id: one clawback
        var rows = await RowsAsync(distributor);
        rows.Single(c => c.Kind == CommissionKinds.Order).Status.ShouldBe(CommissionStatuses.Reversed);
        rows.Single(c => c.Kind == CommissionKinds.Clawback).ShouldSatisfyAllConditions(
            c => c.AmountCents.ShouldBe(-1_000),
            c => c.Status.ShouldBe(CommissionStatuses.Available));
        (await AvailableAsync(distributor)).ShouldBe(-1_000);
        var refused = await factory.Distributor(distributor).PostAsJsonAsync("/api/distribution/me/payouts", new { });
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await refused.ProblemCodeAsync()).ShouldBe(DistributionProblemCodes.InsufficientCommission);

        // A later 1 500 pays the 1 000 back first: 500 can be paid out.
        var later = await _driver.PayAsync(renter, 15_000);
        await _driver.MakeAvailableAsync(later.OrderId);
        (await AvailableAsync(distributor)).ShouldBe(500);
        var tooMuch = await factory.Distributor(distributor).PostAsJsonAsync("/api/distribution/me/payouts", new { amountCents = 501 });
        (await tooMuch.ProblemCodeAsync()).ShouldBe(DistributionProblemCodes.InsufficientCommission);
        var second = await factory.Distributor(distributor).PostAsJsonAsync("/api/distribution/me/payouts", new { });
        second.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await second.Content.ReadFromJsonAsync<PayoutResponse>())!.AmountCents.ShouldBe(500);
        (await AvailableAsync(distributor)).ShouldBe(0);
    }

    [Fact]
    public async Task A_refund_while_the_payout_is_locked_nets_and_a_rejection_gives_back_only_what_is_still_owed()
    {
        var (distributor, renter, first) = await _driver.AvailableCommissionAsync(1_000);
        var second = await _driver.PayAsync(renter, 20_000);
        await _driver.MakeAvailableAsync(second.OrderId);
        var payout = (await (await factory.Distributor(distributor).PostAsJsonAsync("/api/distribution/me/payouts", new { }))
            .Content.ReadFromJsonAsync<PayoutResponse>())!;
        payout.AmountCents.ShouldBe(3_000);

        await _driver.RefundAsync(first);
        (await AvailableAsync(distributor)).ShouldBe(-1_000);
        (await factory.Admin().PostAsJsonAsync($"/api/distribution/payouts/{payout.Id}/reject", new { reason = "wrong account" })).EnsureSuccessStatusCode();
        // 2 000 of the second order is owed; the refunded 1 000 is not.
        (await AvailableAsync(distributor)).ShouldBe(2_000);
    }

    [Fact]
    public async Task One_commission_per_order_however_often_it_is_paid()
    {
        var (distributor, _) = await _driver.DistributorAsync();
        var renter = await _driver.RenterOfAsync(distributor);
        var order = _driver.Order(renter, 10_000);
        var messageId = Guid.NewGuid();
        var ids = new[] { messageId, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        await Task.WhenAll(ids.Select(id => _driver.SendAsync(order, id)).Append(_driver.SendAsync(order, messageId)));
        foreach (var id in ids)
            await _driver.ProcessedAsync(id, "EarnCommissionConsumer", "earn-commission");
        (await RowsAsync(distributor)).ShouldHaveSingleItem().AmountCents.ShouldBe(1_000);
    }

    [Fact]
    public async Task Twenty_concurrent_payout_requests_lock_the_money_once()
    {
        var (distributor, _, _) = await _driver.AvailableCommissionAsync(5_000);
        var client = factory.Distributor(distributor);
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            i % 2 == 0 ? client.PostAsJsonAsync("/api/distribution/me/payouts", new { }) : client.PostAsJsonAsync("/api/distribution/me/payouts", new { amountCents = 3_000 })));
        var created = answers.Where(a => a.StatusCode == HttpStatusCode.Created).ToList();
        var refused = answers.Where(a => a.StatusCode == HttpStatusCode.Conflict).ToList();
        (created.Count + refused.Count).ShouldBe(20);
        foreach (var answer in refused)
            (await answer.ProblemCodeAsync()).ShouldBe(DistributionProblemCodes.InsufficientCommission);
        var payouts = (await client.GetFromJsonAsync<PagedResponse<PayoutResponse>>("/api/distribution/me/payouts"))!;
        payouts.Items.Sum(p => p.AmountCents).ShouldBeLessThanOrEqualTo(5_000);
        var dashboard = await _driver.DashboardAsync(distributor);
        dashboard.Figures.Commissions.LockedCents.ShouldBe(payouts.Items.Sum(p => p.AmountCents));
        (dashboard.Figures.Commissions.LockedCents + dashboard.Figures.Commissions.AvailableCents).ShouldBe(5_000);
        var rows = await RowsAsync(distributor);
        foreach (var p in payouts.Items)
            rows.Where(c => c.PayoutId == p.Id).Sum(c => c.AmountCents).ShouldBe(p.AmountCents);
    }

    [Fact]
    public async Task A_wallet_transfer_draws_available_commission_and_publishes_it_for_finance()
    {
        await using var probe = await RabbitMqProbe.ForEventAsync<CommissionMovedToWallet>();
        var (distributor, _, _) = await _driver.AvailableCommissionAsync(1_000);
        var client = factory.Distributor(distributor);
        var moved = await client.PostAsJsonAsync("/api/distribution/me/wallet-transfers", new { amountCents = 400 });
        moved.StatusCode.ShouldBe(HttpStatusCode.Created);
        var transfer = (await moved.Content.ReadFromJsonAsync<WalletTransferResponse>())!;

        var published = await probe.WaitForAsync(m => m.GetProperty("transferId").GetGuid() == transfer.Id, TimeSpan.FromSeconds(30));
        published.GetProperty("distributorId").GetGuid().ShouldBe(distributor);
        published.GetProperty("amountCents").GetInt64().ShouldBe(400);
        published.GetProperty("currency").GetString().ShouldBe(Currencies.Cny);
        var dashboard = await _driver.DashboardAsync(distributor);
        dashboard.Figures.Commissions.ShouldSatisfyAllConditions(c => c.AvailableCents.ShouldBe(600), c => c.PaidCents.ShouldBe(400));
        dashboard.Figures.Payouts.MovedToWalletCents.ShouldBe(400);

        var tooMuch = await client.PostAsJsonAsync("/api/distribution/me/wallet-transfers", new { amountCents = 601 });
        tooMuch.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await tooMuch.ProblemCodeAsync()).ShouldBe(DistributionProblemCodes.InsufficientCommission);
        var zero = await client.PostAsJsonAsync("/api/distribution/me/wallet-transfers", new { amountCents = 0 });
        zero.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await zero.ProblemCodeAsync()).ShouldBe(ProblemCodes.ValidationFailed);
    }

    [Fact]
    public async Task A_distributor_sees_only_their_own_renters_commissions_and_payouts()
    {
        var (mine, _, _) = await _driver.AvailableCommissionAsync(1_000);
        var (theirs, theirRenter, _) = await _driver.AvailableCommissionAsync(2_000);
        var myNamedRenter = await _driver.RenterOfAsync(mine, "alice.renter@example.com");
        (await factory.Distributor(theirs).PostAsJsonAsync("/api/distribution/me/payouts", new { })).EnsureSuccessStatusCode();

        var client = factory.Distributor(mine);
        var renters = (await client.GetFromJsonAsync<PagedResponse<RenterResponse>>("/api/distribution/me/renters"))!;
        renters.Total.ShouldBe(2);
        renters.Items.ShouldNotContain(r => r.RenterId == theirRenter);
        renters.Items.Single(r => r.RenterId == myNamedRenter).Email.ShouldBe("a***@example.com");
        var commissions = (await client.GetFromJsonAsync<PagedResponse<CommissionResponse>>("/api/distribution/me/commissions"))!;
        commissions.Items.ShouldHaveSingleItem().AmountCents.ShouldBe(1_000);
        (await client.GetFromJsonAsync<PagedResponse<PayoutResponse>>("/api/distribution/me/payouts"))!.Total.ShouldBe(0);

        // Renters and distributors are not admins; a renter has no commission; a distributor role without a distributor row has none either.
        var renter = factory.Renter(Guid.NewGuid());
        (await renter.GetAsync("/api/distribution/me/dashboard")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await renter.PostAsJsonAsync("/api/distribution/me/payouts", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.GetAsync("/api/distribution/payouts")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.GetAsync("/api/distribution/finances")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var theirPayout = (await factory.Admin().GetFromJsonAsync<PagedResponse<PayoutResponse>>($"/api/distribution/payouts?distributorId={theirs}"))!.Items.Single();
        (await client.PostAsJsonAsync($"/api/distribution/payouts/{theirPayout.Id}/pay", new { reference = "x" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var stranger = await factory.Distributor(Guid.NewGuid()).GetAsync("/api/distribution/me/dashboard");
        stranger.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await stranger.ProblemCodeAsync()).ShouldBe(DistributionProblemCodes.NotADistributor);

        // The admins' view has everyone's figures.
        var finances = (await factory.Admin().GetFromJsonAsync<PagedResponse<DistributorFinancesResponse>>("/api/distribution/finances?pageSize=200"))!;
        finances.Items.Single(f => f.UserId == mine).Figures.Commissions.AvailableCents.ShouldBe(1_000);
        finances.Items.Single(f => f.UserId == theirs).Figures.ShouldSatisfyAllConditions(
            f => f.Commissions.LockedCents.ShouldBe(2_000),
            f => f.Payouts.RequestedCents.ShouldBe(2_000),
            f => f.Payouts.RequestedCount.ShouldBe(1),
            f => f.RentalTurnoverCents.ShouldBe(20_000));
    }

    [Fact]
    public async Task Bad_input_gets_problems_with_stable_codes()
    {
        var (distributor, _, _) = await _driver.AvailableCommissionAsync(1_000, minimumPayoutCents: 800);
        var client = factory.Distributor(distributor);
        var admin = factory.Admin();

        async Task ExpectAsync(Task<HttpResponseMessage> call, HttpStatusCode status, string code)
        {
            var response = await call;
            response.StatusCode.ShouldBe(status);
            (await response.ProblemCodeAsync()).ShouldBe(code);
        }

        await ExpectAsync(client.GetAsync("/api/distribution/me/commissions?page=0"), HttpStatusCode.BadRequest, ProblemCodes.ValidationFailed);
        await ExpectAsync(client.GetAsync("/api/distribution/me/commissions?status=bogus"), HttpStatusCode.BadRequest, ProblemCodes.ValidationFailed);
        await ExpectAsync(client.GetAsync("/api/distribution/me/renters?pageSize=1000"), HttpStatusCode.BadRequest, ProblemCodes.ValidationFailed);
        await ExpectAsync(client.GetAsync("/api/distribution/me/payouts?status=bogus"), HttpStatusCode.BadRequest, ProblemCodes.ValidationFailed);
        await ExpectAsync(client.PostAsJsonAsync("/api/distribution/me/payouts", new { amountCents = -5 }), HttpStatusCode.BadRequest, ProblemCodes.ValidationFailed);
        await ExpectAsync(client.PostAsJsonAsync("/api/distribution/me/payouts", new { amountCents = 700 }), HttpStatusCode.Conflict,
            DistributionProblemCodes.PayoutBelowMinimum);
        await ExpectAsync(client.PostAsync("/api/distribution/me/payouts", new StringContent("{\"amountCents\":", System.Text.Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, ProblemCodes.MalformedJson);
        await ExpectAsync(client.PostAsJsonAsync("/api/distribution/me/wallet-transfers", new { amountCents = long.MaxValue }), HttpStatusCode.BadRequest,
            ProblemCodes.ValidationFailed);
        await ExpectAsync(admin.GetAsync("/api/distribution/payouts?status=bogus"), HttpStatusCode.BadRequest, ProblemCodes.ValidationFailed);
        await ExpectAsync(admin.GetAsync("/api/distribution/finances?page=-1"), HttpStatusCode.BadRequest, ProblemCodes.ValidationFailed);
        await ExpectAsync(admin.PostAsJsonAsync($"/api/distribution/payouts/{Guid.NewGuid()}/pay", new { reference = "R" }), HttpStatusCode.NotFound,
            DistributionProblemCodes.PayoutNotFound);

        var payout = (await (await client.PostAsJsonAsync("/api/distribution/me/payouts", new { })).Content.ReadFromJsonAsync<PayoutResponse>())!;
        await ExpectAsync(admin.PostAsJsonAsync($"/api/distribution/payouts/{payout.Id}/pay", new { reference = "  " }), HttpStatusCode.BadRequest,
            ProblemCodes.ValidationFailed);
        await ExpectAsync(admin.PostAsJsonAsync($"/api/distribution/payouts/{payout.Id}/pay", new { reference = new string('r', 201) }), HttpStatusCode.BadRequest,
            ProblemCodes.ValidationFailed);
        await ExpectAsync(admin.PostAsJsonAsync($"/api/distribution/payouts/{payout.Id}/reject", new { }), HttpStatusCode.BadRequest, ProblemCodes.ValidationFailed);
        (await _driver.DashboardAsync(distributor)).Figures.Commissions.LockedCents.ShouldBe(1_000);
    }
}
