using System.Net.Http.Json;
using Derp.Contracts.Distribution;
using Derp.Contracts.Finance;
using Derp.Contracts.Serials;
using Derp.Distribution.Api.Apis;
using Derp.Distribution.Api.Infrastructure;
using Derp.Distribution.Api.IntegrationEvents;
using Derp.Distribution.Api.Jobs;
using Derp.Distribution.Api.Model;
using Derp.ServiceDefaults.Messaging;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Distribution.FunctionalTests;

/// <summary>
/// Drives the commission area: tiers and distributors are rows another area's API makes, so tests write them straight
/// into the database; events reach this instance's own consumer queues.
/// </summary>
public sealed class CommissionDriver(DistributionApiFactory factory)
{
    // Test tiers climb from a base far above the seeded ones, two sort orders per distributor (its tier and the next).
    private static int _sortOrder = 100_000 + Random.Shared.Next(1_000_000);

    public async Task<T> InDbAsync<T>(Func<DistributionContext, Task<T>> action)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<DistributionContext>());
    }

    /// <summary>A distributor on a tier of its own (and the tier above it, reached at <paramref name="nextTierTurnoverCents"/>).</summary>
    public async Task<(Guid DistributorId, string TierCode)> DistributorAsync(int rateBasisPoints = 1000, int holdingDays = 7, long minimumPayoutCents = 100,
        long nextTierTurnoverCents = 500_000)
    {
        var sortOrder = Interlocked.Add(ref _sortOrder, 2);
        var code = $"t{Guid.NewGuid():N}"[..20];
        var now = factory.Clock.GetUtcNow();
        var distributorId = Guid.NewGuid();
        await InDbAsync(db =>
        {
            db.Tiers.Add(new Tier
            {
                Code = code, NameZh = "测试", NameEn = "Test", RateBasisPoints = rateBasisPoints, HoldingDays = holdingDays,
                MinimumPayoutCents = minimumPayoutCents, SortOrder = sortOrder, UpdatedAt = now,
            });
            db.Tiers.Add(new Tier
            {
                Code = code + "n", NameZh = "下一级", NameEn = "Next", RateBasisPoints = rateBasisPoints + 500, HoldingDays = holdingDays,
                MinimumPayoutCents = minimumPayoutCents, PromotionTurnoverCents = nextTierTurnoverCents, SortOrder = sortOrder + 1, UpdatedAt = now,
            });
            db.Distributors.Add(new Distributor
            {
                UserId = distributorId, Email = $"{distributorId:N}@example.com", TierCode = code, Status = DistributorStatuses.Active,
                ContactName = "Test", Contact = "wx-test", PayoutChannel = PaymentAccountChannels.Alipay, PayoutAccountName = "Test",
                PayoutAccount = "test@alipay", CreatedAt = now, UpdatedAt = now,
            });
            return db.SaveChangesAsync();
        });
        return (distributorId, code);
    }

    public async Task<Guid> RenterOfAsync(Guid distributorId, string? email = null)
    {
        var renter = Guid.NewGuid();
        if (email is not null)
            await InDbAsync(db =>
            {
                db.KnownUsers.Add(new KnownUser { UserId = renter, Email = email, RegisteredAt = factory.Clock.GetUtcNow() });
                return db.SaveChangesAsync();
            });
        await RedeemAsync(renter, distributorId);
        return renter;
    }

    public static SerialRedeemed Redemption(Guid renter, Guid? distributorId) =>
        new(Guid.NewGuid(), "DERP-TEST", renter, SerialKinds.Rental, SerialKinds.UseTypeOf(SerialKinds.Rental), Guid.NewGuid(), 30, null, 100, null,
            distributorId, DateTimeOffset.UtcNow);

    public async Task<Guid> RedeemAsync(Guid renter, Guid? distributorId)
    {
        var messageId = Guid.NewGuid();
        await SendAsync(Redemption(renter, distributorId), messageId);
        await ProcessedAsync(messageId, nameof(AttributeRenterConsumer), "attribute-renter");
        return messageId;
    }

    public OrderPaid Order(Guid renter, long amountCents, string orderType = OrderTypes.Renewal, Guid? orderId = null) =>
        new(orderId ?? Guid.NewGuid(), "O-TEST", renter, Guid.NewGuid(), orderType, 30, 100, amountCents, Currencies.Cny, factory.Clock.GetUtcNow());

    public async Task<OrderPaid> PayAsync(Guid renter, long amountCents, string orderType = OrderTypes.Renewal)
    {
        var order = Order(renter, amountCents, orderType);
        await DeliverPaidAsync(order, Guid.NewGuid());
        return order;
    }

    public async Task DeliverPaidAsync(OrderPaid order, Guid messageId)
    {
        await SendAsync(order, messageId);
        await ProcessedAsync(messageId, nameof(EarnCommissionConsumer), "earn-commission");
    }

    public async Task RefundAsync(OrderPaid order, Guid? messageId = null)
    {
        var id = messageId ?? Guid.NewGuid();
        await SendAsync(new OrderRefunded(order.OrderId, order.UserId, order.AmountCents, order.Currency, RefundMethods.Wallet, factory.Clock.GetUtcNow()), id);
        await ProcessedAsync(id, nameof(ReverseCommissionConsumer), "reverse-commission");
    }

    /// <summary>Sends to this area's consumer of <typeparamref name="T"/> (queues are named after the consumer, not the event).</summary>
    public Task SendAsync<T>(T message, Guid messageId) where T : class
    {
        var queue = message switch
        {
            SerialRedeemed => "attribute-renter",
            OrderPaid => "earn-commission",
            OrderRefunded => "reverse-commission",
            _ => throw new ArgumentException("Not a commission event.", nameof(message)),
        };
        return RabbitMqProbe.SendToQueueAsync(factory.EndpointPrefix, queue, message, messageId);
    }

    public Task ProcessedAsync(Guid messageId, string consumer, string what) =>
        Until.TrueAsync(() => InDbAsync(db => db.Set<InboxMessage>().AnyAsync(m => m.MessageId == messageId && m.Consumer == consumer)),
            $"{what} message {messageId} to be consumed");

    /// <summary>What the ten-minute job does, now.</summary>
    public async Task<int> RunAvailabilityJobAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CommissionAvailabilityJob>().ReleaseDueAsync(CancellationToken.None);
    }

    /// <summary>A distributor (10 % tier) with <paramref name="commissionCents"/> of available commission from one renewal of ten times that.</summary>
    public async Task<(Guid DistributorId, Guid Renter, OrderPaid Order)> AvailableCommissionAsync(long commissionCents, long minimumPayoutCents = 100)
    {
        var (distributor, _) = await DistributorAsync(rateBasisPoints: 1000, holdingDays: 7, minimumPayoutCents: minimumPayoutCents);
        var renter = await RenterOfAsync(distributor);
        var order = await PayAsync(renter, commissionCents * 10);
        await MakeAvailableAsync(order.OrderId);
        return (distributor, renter, order);
    }

    /// <summary>Moves the clock past the holding period and runs the job.</summary>
    public async Task MakeAvailableAsync(Guid orderId)
    {
        factory.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await RunAvailabilityJobAsync();
        (await InDbAsync(db => db.Commissions.SingleAsync(c => c.OrderId == orderId && c.Kind == CommissionKinds.Order))).Status
            .ShouldBe(CommissionStatuses.Available);
    }

    public async Task<DashboardResponse> DashboardAsync(Guid distributorId) =>
        (await factory.Distributor(distributorId).GetFromJsonAsync<DashboardResponse>("/api/distribution/me/dashboard"))!;
}
