using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Distribution;
using Derp.Contracts.Finance;
using Derp.Contracts.Serials;
using Derp.Distribution.Api.Apis;
using Derp.Distribution.Api.Infrastructure;
using Derp.Distribution.Api.Jobs;
using Derp.Distribution.Api.Model;
using Derp.ServiceDefaults.Messaging;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Distribution.FunctionalTests;

/// <summary>
/// A distributor's serial request over the real database and broker: request → approve (price fixed) → paid (batch
/// asked for once) → issued (stock), and the ways it ends early.
/// </summary>
public sealed class SerialRequestTests(DistributionApiFactory factory) : IClassFixture<DistributionApiFactory>
{
    private const long PlanPriceCents = 3_000;

    // ---- arranging -------------------------------------------------------------------------------------------

    private async Task WithDbAsync(Func<DistributionContext, Task> action)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<DistributionContext>());
    }

    /// <summary>A tier of the test's own (codes do not clash with seeded tiers) and an active distributor on it.</summary>
    private async Task<Guid> NewDistributorAsync(int rateBasisPoints = 1_500, string status = DistributorStatuses.Active)
    {
        var userId = Guid.NewGuid();
        var code = $"t{Guid.NewGuid():N}"[..16];
        await WithDbAsync(async db =>
        {
            db.Tiers.Add(new Tier { Code = code, NameZh = code, NameEn = code, RateBasisPoints = rateBasisPoints, HoldingDays = 7, MinimumPayoutCents = 10_000 });
            db.Distributors.Add(new Distributor
            {
                UserId = userId, TierCode = code, Status = status, ContactName = "Li", Contact = "li@example.com",
                PayoutChannel = PaymentAccountChannels.Alipay, PayoutAccountName = "Li", PayoutAccount = "li@example.com",
            });
            await db.SaveChangesAsync();
        });
        return userId;
    }

    private async Task SendHandledAsync<T>(T message, string? queuePart = null, Guid? messageId = null) where T : class
    {
        var id = messageId ?? Guid.NewGuid();
        using var watcher = ConsumeWatcher.Attach(factory.Services);
        if (queuePart is null)
            await factory.SendAsync(message, id);
        else
            await RabbitMqProbe.SendToQueueAsync(factory.EndpointPrefix, queuePart, message, id);
        await watcher.ConsumedAsync(id);
    }

    private async Task<Guid> NewPlanAsync(long priceCents = PlanPriceCents, bool retired = false)
    {
        var planId = Guid.NewGuid();
        await SendHandledAsync(new PlanChanged(planId, 1, "30天", "30 days", 30, priceCents, Currencies.Cny, 300, true, true, retired, DateTimeOffset.UtcNow));
        return planId;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        response.StatusCode.ShouldBe(expected, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<JsonElement> RequestAsync(Guid distributorId, Guid planId, int quantity = 3, string? remark = null) =>
        await JsonAsync(await factory.Distributor(distributorId).PostAsJsonAsync("/api/distribution/requests", new { planId, quantity, remark }),
            HttpStatusCode.Created);

    private async Task<JsonElement> ApproveAsync(Guid requestId) =>
        await JsonAsync(await factory.Admin().PostAsync($"/api/distribution/requests/{requestId}/approve", null));

    private static OrderPaid Paid(JsonElement approved) =>
        new(approved.GetProperty("orderId").GetGuid(), "20261123000000000001", approved.GetProperty("distributorId").GetGuid(),
            approved.GetProperty("planId").GetGuid(), OrderTypes.SerialPurchase, 30, 300, approved.GetProperty("priceCents").GetInt64(), Currencies.Cny,
            DateTimeOffset.UtcNow);

    private const string PaidQueue = "-serial-purchase-paid";

    private async Task<SerialRequest> RowAsync(Guid requestId)
    {
        SerialRequest? row = null;
        await WithDbAsync(async db => row = await db.SerialRequests.AsNoTracking().SingleAsync(r => r.Id == requestId));
        return row!;
    }

    private async Task<int> OutboxCountAsync<T>(Guid requestId)
    {
        var count = 0;
        var type = OutboxMessage.TypeName(typeof(T));
        var pattern = $"%{requestId}%";
        await WithDbAsync(async db => count = await db.Database.SqlQuery<int>(
                $"SELECT count(*)::int AS \"Value\" FROM outbox_messages WHERE message_type = {type} AND payload::text LIKE {pattern}")
            .SingleAsync());
        return count;
    }

    // ---- the whole way ----------------------------------------------------------------------------------------

    [Fact]
    public async Task Request_approve_pay_issue_batch_once_and_stock()
    {
        await using var approvedProbe = await RabbitMqProbe.ForEventAsync<SerialPurchaseApproved>();
        await using var batchProbe = await RabbitMqProbe.ForEventAsync<SerialBatchRequested>();
        var distributorId = await NewDistributorAsync(rateBasisPoints: 1_500);
        var planId = await NewPlanAsync(priceCents: 999);

        var created = await RequestAsync(distributorId, planId, quantity: 7, remark: "  for the shop  ");
        created.GetProperty("status").GetString().ShouldBe(SerialRequestStatuses.Requested);
        created.GetProperty("remark").GetString().ShouldBe("for the shop");
        created.GetProperty("planNameEn").GetString().ShouldBe("30 days");
        var requestId = created.GetProperty("id").GetGuid();

        var approved = await ApproveAsync(requestId);
        approved.GetProperty("status").GetString().ShouldBe(SerialRequestStatuses.Approved);
        approved.GetProperty("unitPriceCents").GetInt64().ShouldBe(999);
        approved.GetProperty("rateBasisPoints").GetInt32().ShouldBe(1_500);
        approved.GetProperty("priceCents").GetInt64().ShouldBe(5_944); // 999 × 7 × 0.85 = 5 944.05
        approved.GetProperty("payBy").GetDateTimeOffset().ShouldBe(factory.Clock.GetUtcNow().AddHours(48), TimeSpan.FromMilliseconds(1));
        var orderId = approved.GetProperty("orderId").GetGuid();
        var tierCode = approved.GetProperty("tierCode").GetString();
        var message = await approvedProbe.WaitForAsync(m => m.GetProperty("requestId").GetGuid() == requestId, TimeSpan.FromSeconds(20));
        message.GetProperty("orderId").GetGuid().ShouldBe(orderId);
        message.GetProperty("distributorId").GetGuid().ShouldBe(distributorId);
        message.GetProperty("priceCents").GetInt64().ShouldBe(5_944);
        message.GetProperty("tierCode").GetString().ShouldBe(tierCode);
        message.GetProperty("quantity").GetInt32().ShouldBe(7);

        // Paid, then the same payment again: redelivered, and republished under another message id.
        var paid = Paid(approved);
        var messageId = Guid.NewGuid();
        await SendHandledAsync(paid, PaidQueue, messageId);
        await SendHandledAsync(paid, PaidQueue, messageId);
        await SendHandledAsync(paid, PaidQueue);
        (await RowAsync(requestId)).Status.ShouldBe(SerialRequestStatuses.Paid);
        var batch = await batchProbe.WaitForAsync(m => m.GetProperty("requestId").GetGuid() == requestId, TimeSpan.FromSeconds(20));
        batch.GetProperty("distributorId").GetGuid().ShouldBe(distributorId);
        batch.GetProperty("planId").GetGuid().ShouldBe(planId);
        batch.GetProperty("quantity").GetInt32().ShouldBe(7);
        (await OutboxCountAsync<SerialBatchRequested>(requestId)).ShouldBe(1);

        // serials issued the batch (twice: the stock is made once).
        var batchId = Guid.NewGuid();
        var validUntil = DateTimeOffset.UtcNow.AddDays(365);
        var serials = Enumerable.Range(0, 7).Select(i => new IssuedSerial(Guid.NewGuid(), $"DST-CODE{i}", validUntil)).ToList();
        var issued = new DistributorSerialsIssued(requestId, batchId, distributorId, planId, serials, DateTimeOffset.UtcNow);
        await SendHandledAsync(issued);
        await SendHandledAsync(issued);

        var mine = await JsonAsync(await factory.Distributor(distributorId).GetAsync($"/api/distribution/requests/mine/{requestId}"));
        mine.GetProperty("status").GetString().ShouldBe(SerialRequestStatuses.Issued);
        mine.GetProperty("batchId").GetGuid().ShouldBe(batchId);
        mine.GetProperty("issuedAt").ValueKind.ShouldBe(JsonValueKind.String);
        List<StockSerial> stock = [];
        await WithDbAsync(async db => stock = await db.StockSerials.AsNoTracking().Where(s => s.RequestId == requestId).ToListAsync());
        stock.Count.ShouldBe(7);
        stock.ShouldAllBe(s => s.DistributorId == distributorId && s.PlanId == planId && s.RedeemedAt == null && s.DeliveredAt == null);
        stock.Select(s => s.FullCode).Order().ShouldBe(serials.Select(s => s.FullCode).Order());
        // finance is told once, so it can mark the order fulfilled.
        (await OutboxCountAsync<SerialPurchaseIssued>(requestId)).ShouldBe(1);

        // A renter redeems one of them: no longer stock.
        var redeemedAt = DateTimeOffset.UtcNow;
        await SendHandledAsync(new SerialRedeemed(serials[0].SerialId, serials[0].FullCode, Guid.NewGuid(), "rental", "membership", planId, 30, null, 300, null,
            distributorId, redeemedAt), "-stock-serial-redeemed");
        await WithDbAsync(async db =>
        {
            var redeemed = await db.StockSerials.AsNoTracking().SingleAsync(s => s.SerialId == serials[0].SerialId);
            redeemed.RedeemedAt.ShouldNotBeNull().ShouldBe(redeemedAt, TimeSpan.FromMilliseconds(1));
            (await db.StockSerials.CountAsync(s => s.RequestId == requestId && s.RedeemedAt == null)).ShouldBe(6);
        });
    }

    [Fact]
    public async Task The_price_uses_the_tier_the_distributor_has_when_approved()
    {
        var distributorId = await NewDistributorAsync(rateBasisPoints: 1_000);
        var planId = await NewPlanAsync();
        var requestId = (await RequestAsync(distributorId, planId, quantity: 10)).GetProperty("id").GetGuid();
        var platinum = $"p{Guid.NewGuid():N}"[..16];
        await WithDbAsync(async db =>
        {
            db.Tiers.Add(new Tier { Code = platinum, NameZh = "铂金", NameEn = "Platinum", RateBasisPoints = 2_000, HoldingDays = 7, MinimumPayoutCents = 10_000 });
            await db.SaveChangesAsync();
            await db.Distributors.Where(d => d.UserId == distributorId).ExecuteUpdateAsync(s => s.SetProperty(d => d.TierCode, platinum));
        });

        var approved = await ApproveAsync(requestId);

        approved.GetProperty("tierCode").GetString().ShouldBe(platinum);
        approved.GetProperty("rateBasisPoints").GetInt32().ShouldBe(2_000);
        approved.GetProperty("priceCents").GetInt64().ShouldBe(24_000);
    }

    [Fact]
    public async Task A_paid_order_of_another_type_or_unknown_order_changes_nothing()
    {
        var distributorId = await NewDistributorAsync();
        var approved = await ApproveAsync((await RequestAsync(distributorId, await NewPlanAsync())).GetProperty("id").GetGuid());
        var requestId = approved.GetProperty("id").GetGuid();

        await SendHandledAsync(Paid(approved) with { OrderType = OrderTypes.Renewal }, PaidQueue);
        await SendHandledAsync(Paid(approved) with { OrderId = Guid.NewGuid() }, PaidQueue);

        (await RowAsync(requestId)).Status.ShouldBe(SerialRequestStatuses.Approved);
        (await OutboxCountAsync<SerialBatchRequested>(requestId)).ShouldBe(0);
    }

    // ---- ending early ----------------------------------------------------------------------------------------

    [Fact]
    public async Task An_admin_rejects_with_a_reason_and_a_decided_request_cannot_be_decided_again()
    {
        var distributorId = await NewDistributorAsync();
        var requestId = (await RequestAsync(distributorId, await NewPlanAsync())).GetProperty("id").GetGuid();
        var admin = factory.Admin();

        var blank = await admin.PostAsJsonAsync($"/api/distribution/requests/{requestId}/reject", new { reason = " " });
        blank.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await blank.ProblemCodeAsync()).ShouldBe("validation_failed");

        var rejected = await JsonAsync(await admin.PostAsJsonAsync($"/api/distribution/requests/{requestId}/reject", new { reason = "Too many at once" }));
        rejected.GetProperty("status").GetString().ShouldBe(SerialRequestStatuses.Rejected);
        rejected.GetProperty("rejectionReason").GetString().ShouldBe("Too many at once");

        var again = await admin.PostAsync($"/api/distribution/requests/{requestId}/approve", null);
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await again.ProblemCodeAsync()).ShouldBe(DistributionProblemCodes.RequestNotPending);
        (await factory.Distributor(distributorId).PostAsync($"/api/distribution/requests/mine/{requestId}/cancel", null)).StatusCode
            .ShouldBe(HttpStatusCode.Conflict);
        await WithDbAsync(async db =>
            (await db.Audit.CountAsync(a => a.TargetId == requestId.ToString() && a.Action == DistributionAuditActions.RequestRejected)).ShouldBe(1));
    }

    [Fact]
    public async Task Cancelling_an_approved_request_before_payment_cancels_its_order()
    {
        await using var cancelledProbe = await RabbitMqProbe.ForEventAsync<SerialPurchaseCancelled>();
        var distributorId = await NewDistributorAsync();
        var distributor = factory.Distributor(distributorId);
        var approved = await ApproveAsync((await RequestAsync(distributorId, await NewPlanAsync())).GetProperty("id").GetGuid());
        var requestId = approved.GetProperty("id").GetGuid();

        var cancelled = await JsonAsync(await distributor.PostAsync($"/api/distribution/requests/mine/{requestId}/cancel", null));

        cancelled.GetProperty("status").GetString().ShouldBe(SerialRequestStatuses.Cancelled);
        var message = await cancelledProbe.WaitForAsync(m => m.GetProperty("requestId").GetGuid() == requestId, TimeSpan.FromSeconds(20));
        message.GetProperty("orderId").GetGuid().ShouldBe(approved.GetProperty("orderId").GetGuid());
        var again = await distributor.PostAsync($"/api/distribution/requests/mine/{requestId}/cancel", null);
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await again.ProblemCodeAsync()).ShouldBe(DistributionProblemCodes.RequestNotCancellable);
        (await OutboxCountAsync<SerialPurchaseCancelled>(requestId)).ShouldBe(1);
    }

    [Fact]
    public async Task Cancelling_a_request_not_yet_approved_has_no_order_to_cancel()
    {
        var distributorId = await NewDistributorAsync();
        var requestId = (await RequestAsync(distributorId, await NewPlanAsync())).GetProperty("id").GetGuid();

        var cancelled = await JsonAsync(await factory.Distributor(distributorId).PostAsync($"/api/distribution/requests/mine/{requestId}/cancel", null));

        cancelled.GetProperty("status").GetString().ShouldBe(SerialRequestStatuses.Cancelled);
        (await OutboxCountAsync<SerialPurchaseCancelled>(requestId)).ShouldBe(0);
    }

    [Fact]
    public async Task A_paid_request_cannot_be_cancelled()
    {
        var distributorId = await NewDistributorAsync();
        var approved = await ApproveAsync((await RequestAsync(distributorId, await NewPlanAsync())).GetProperty("id").GetGuid());
        await SendHandledAsync(Paid(approved), PaidQueue);

        var response = await factory.Distributor(distributorId).PostAsync($"/api/distribution/requests/mine/{approved.GetProperty("id").GetGuid()}/cancel", null);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await response.ProblemCodeAsync()).ShouldBe(DistributionProblemCodes.RequestNotCancellable);
    }

    [Fact]
    public async Task Approved_requests_unpaid_after_pay_by_expire_and_their_orders_are_cancelled()
    {
        await using var cancelledProbe = await RabbitMqProbe.ForEventAsync<SerialPurchaseCancelled>();
        var distributorId = await NewDistributorAsync();
        var planId = await NewPlanAsync();
        var due = await ApproveAsync((await RequestAsync(distributorId, planId)).GetProperty("id").GetGuid());
        var dueId = due.GetProperty("id").GetGuid();
        factory.Clock.Advance(TimeSpan.FromHours(47));
        var fresh = await ApproveAsync((await RequestAsync(distributorId, planId)).GetProperty("id").GetGuid());
        var freshId = fresh.GetProperty("id").GetGuid();
        var waiting = (await RequestAsync(distributorId, planId)).GetProperty("id").GetGuid();
        factory.Clock.Advance(TimeSpan.FromHours(1));

        await using (var scope = factory.Services.CreateAsyncScope())
            // The scheduled run may get there first on the same clock: either way, the rows below are what counts.
            await scope.ServiceProvider.GetRequiredService<RequestExpiryJob>().ExpireDueAsync(CancellationToken.None);

        (await RowAsync(dueId)).ShouldSatisfyAllConditions(r => r.Status.ShouldBe(SerialRequestStatuses.Expired), r => r.ClosedAt.ShouldNotBeNull());
        (await RowAsync(freshId)).Status.ShouldBe(SerialRequestStatuses.Approved);
        (await RowAsync(waiting)).Status.ShouldBe(SerialRequestStatuses.Requested);
        var message = await cancelledProbe.WaitForAsync(m => m.GetProperty("requestId").GetGuid() == dueId, TimeSpan.FromSeconds(20));
        message.GetProperty("orderId").GetGuid().ShouldBe(due.GetProperty("orderId").GetGuid());
    }

    [Fact]
    public async Task A_payment_that_crossed_an_expiry_still_issues_the_serials()
    {
        var distributorId = await NewDistributorAsync();
        var approved = await ApproveAsync((await RequestAsync(distributorId, await NewPlanAsync())).GetProperty("id").GetGuid());
        var requestId = approved.GetProperty("id").GetGuid();
        await WithDbAsync(db => db.SerialRequests.Where(r => r.Id == requestId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, SerialRequestStatuses.Expired).SetProperty(r => r.ClosedAt, DateTimeOffset.UtcNow)));

        await SendHandledAsync(Paid(approved), PaidQueue);

        (await RowAsync(requestId)).ShouldSatisfyAllConditions(r => r.Status.ShouldBe(SerialRequestStatuses.Paid), r => r.ClosedAt.ShouldBeNull());
        (await OutboxCountAsync<SerialBatchRequested>(requestId)).ShouldBe(1);
    }

    // ---- who sees and does what ------------------------------------------------------------------------------

    [Fact]
    public async Task A_distributor_sees_and_cancels_only_their_own_requests()
    {
        var planId = await NewPlanAsync();
        var alice = await NewDistributorAsync();
        var bob = await NewDistributorAsync();
        var alicesId = (await RequestAsync(alice, planId)).GetProperty("id").GetGuid();
        var bobsId = (await RequestAsync(bob, planId, quantity: 5)).GetProperty("id").GetGuid();
        await ApproveAsync(bobsId);

        var bobs = await JsonAsync(await factory.Distributor(bob).GetAsync("/api/distribution/requests/mine"));
        bobs.GetProperty("total").GetInt32().ShouldBe(1);
        bobs.GetProperty("items")[0].GetProperty("id").GetGuid().ShouldBe(bobsId);
        var approvedOnly = await JsonAsync(await factory.Distributor(bob).GetAsync("/api/distribution/requests/mine?status=requested"));
        approvedOnly.GetProperty("total").GetInt32().ShouldBe(0);

        var other = await factory.Distributor(bob).GetAsync($"/api/distribution/requests/mine/{alicesId}");
        other.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.ProblemCodeAsync()).ShouldBe(DistributionProblemCodes.RequestNotFound);
        (await factory.Distributor(bob).PostAsync($"/api/distribution/requests/mine/{alicesId}/cancel", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await RowAsync(alicesId)).Status.ShouldBe(SerialRequestStatuses.Requested);

        var admin = factory.Admin();
        var alicesForAdmin = await JsonAsync(await admin.GetAsync($"/api/distribution/requests?distributorId={alice}"));
        alicesForAdmin.GetProperty("total").GetInt32().ShouldBe(1);
        var approvedForAdmin = await JsonAsync(await admin.GetAsync($"/api/distribution/requests?status=approved&distributorId={bob}&page=1&pageSize=10"));
        approvedForAdmin.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ShouldBe([bobsId]);
        approvedForAdmin.GetProperty("pageSize").GetInt32().ShouldBe(10);
    }

    [Fact]
    public async Task Only_admins_decide_and_list_everyone_and_only_active_distributors_request()
    {
        var planId = await NewPlanAsync();
        var distributorId = await NewDistributorAsync();
        var requestId = (await RequestAsync(distributorId, planId)).GetProperty("id").GetGuid();
        var distributor = factory.Distributor(distributorId);

        (await distributor.PostAsync($"/api/distribution/requests/{requestId}/approve", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await distributor.PostAsJsonAsync($"/api/distribution/requests/{requestId}/reject", new { reason = "mine" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await distributor.GetAsync("/api/distribution/requests")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await factory.Renter(Guid.NewGuid()).PostAsJsonAsync("/api/distribution/requests", new { planId, quantity = 1 })).StatusCode
            .ShouldBe(HttpStatusCode.Forbidden);
        (await factory.CreateClient().GetAsync("/api/distribution/requests/mine")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await RowAsync(requestId)).Status.ShouldBe(SerialRequestStatuses.Requested);

        // The role without an active distributor row (never approved, or suspended since the token was issued).
        foreach (var notActive in new[] { Guid.NewGuid(), await NewDistributorAsync(status: DistributorStatuses.Suspended) })
        {
            var response = await factory.Distributor(notActive).PostAsJsonAsync("/api/distribution/requests", new { planId, quantity = 1 });
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await response.ProblemCodeAsync()).ShouldBe(DistributionProblemCodes.DistributorNotActive);
        }

        // Suspended after requesting: the request can no longer be approved.
        await WithDbAsync(db => db.Distributors.Where(d => d.UserId == distributorId)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DistributorStatuses.Suspended)));
        var approve = await factory.Admin().PostAsync($"/api/distribution/requests/{requestId}/approve", null);
        approve.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await approve.ProblemCodeAsync()).ShouldBe(DistributionProblemCodes.DistributorNotActive);
    }

    // ---- bad input -------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(10_001)]
    public async Task A_quantity_outside_1_to_10000_is_a_validation_problem(int quantity)
    {
        var response = await factory.Distributor(await NewDistributorAsync()).PostAsJsonAsync("/api/distribution/requests",
            new { planId = await NewPlanAsync(), quantity });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBe("validation_failed");
    }

    [Fact]
    public async Task Bad_requests_answer_problems()
    {
        var distributorId = await NewDistributorAsync();
        var distributor = factory.Distributor(distributorId);

        var unknownPlan = await distributor.PostAsJsonAsync("/api/distribution/requests", new { planId = Guid.NewGuid(), quantity = 1 });
        unknownPlan.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await unknownPlan.ProblemCodeAsync()).ShouldBe(DistributionProblemCodes.PlanNotFound);

        var retired = await distributor.PostAsJsonAsync("/api/distribution/requests", new { planId = await NewPlanAsync(retired: true), quantity = 1 });
        retired.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await retired.ProblemCodeAsync()).ShouldBe(DistributionProblemCodes.PlanRetired);

        var longRemark = await distributor.PostAsJsonAsync("/api/distribution/requests", new { planId = await NewPlanAsync(), quantity = 1, remark = new string('x', 501) });
        (await longRemark.ProblemCodeAsync()).ShouldBe("validation_failed");

        using var malformed = new StringContent("{\"planId\":", System.Text.Encoding.UTF8, "application/json");
        var broken = await distributor.PostAsync("/api/distribution/requests", malformed);
        broken.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await broken.ProblemCodeAsync()).ShouldNotBeNullOrEmpty();

        (await (await distributor.GetAsync("/api/distribution/requests/mine?status=bogus")).ProblemCodeAsync()).ShouldBe("validation_failed");
        (await (await distributor.GetAsync("/api/distribution/requests/mine?page=0")).ProblemCodeAsync()).ShouldBe("validation_failed");
        (await (await distributor.GetAsync("/api/distribution/requests/mine?pageSize=1000")).ProblemCodeAsync()).ShouldBe("validation_failed");

        var admin = factory.Admin();
        var missing = await admin.PostAsync($"/api/distribution/requests/{Guid.NewGuid()}/approve", null);
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await missing.ProblemCodeAsync()).ShouldBe(DistributionProblemCodes.RequestNotFound);
        (await (await admin.PostAsJsonAsync($"/api/distribution/requests/{Guid.NewGuid()}/reject", new { reason = "x" })).ProblemCodeAsync())
            .ShouldBe(DistributionProblemCodes.RequestNotFound);
        (await (await admin.PostAsync($"/api/distribution/requests/{Guid.NewGuid()}/reject", null)).ProblemCodeAsync()).ShouldNotBeNullOrEmpty();
        (await (await admin.GetAsync("/api/distribution/requests?distributorId=not-a-guid")).ProblemCodeAsync()).ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task The_plan_projection_keeps_the_newest_version()
    {
        var planId = Guid.NewGuid();
        await SendHandledAsync(new PlanChanged(planId, 3, "新", "New", 30, 5_000, Currencies.Cny, 300, true, true, false, DateTimeOffset.UtcNow));
        await SendHandledAsync(new PlanChanged(planId, 2, "旧", "Old", 30, 1_000, Currencies.Cny, 300, true, true, true, DateTimeOffset.UtcNow));

        await WithDbAsync(async db =>
        {
            var plan = await db.Plans.AsNoTracking().SingleAsync(p => p.Id == planId);
            (plan.Version, plan.NameEn, plan.PriceCents, plan.Retired).ShouldBe((3L, "New", 5_000L, false));
        });
        await SendHandledAsync(new PlanChanged(planId, 4, "新", "Newer", 30, 6_000, Currencies.Cny, 300, true, true, true, DateTimeOffset.UtcNow));
        await WithDbAsync(async db => (await db.Plans.AsNoTracking().SingleAsync(p => p.Id == planId)).Retired.ShouldBeTrue());
    }
}
