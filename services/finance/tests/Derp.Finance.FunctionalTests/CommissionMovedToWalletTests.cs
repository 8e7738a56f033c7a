using System.Net.Http.Json;
using Derp.Contracts.Distribution;
using Derp.Contracts.Finance;
using Derp.Finance.Api.Apis;
using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.IntegrationEvents;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Messaging;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Finance.FunctionalTests;

/// <summary>Distribution's commission moved to a distributor's wallet (requirements §9.5).</summary>
public sealed class CommissionMovedToWalletTests(FinanceApiFactory factory) : IClassFixture<FinanceApiFactory>
{
    private async Task<T> InDbAsync<T>(Func<FinanceContext, Task<T>> read)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<FinanceContext>());
    }

    private Task ProcessedAsync(Guid messageId) =>
        Until.TrueAsync(() => InDbAsync(db => db.Set<InboxMessage>().AnyAsync(m => m.MessageId == messageId && m.Consumer == nameof(CommissionMovedToWalletConsumer))),
            $"message {messageId} to be consumed");

    [Fact]
    public async Task A_transfer_is_credited_once_under_its_id_whatever_message_carries_it()
    {
        var distributor = Guid.NewGuid();
        var transfer = new CommissionMovedToWallet(Guid.NewGuid(), distributor, 1_234, Currencies.Cny, DateTimeOffset.UtcNow);
        var messageId = Guid.NewGuid();
        await factory.SendAsync(transfer, messageId);
        await ProcessedAsync(messageId);

        // Redelivered, and the same transfer in two other messages at once (a republished outbox row), then a later transfer.
        await factory.SendAsync(transfer, messageId);
        var copies = new[] { Guid.NewGuid(), Guid.NewGuid() };
        await Task.WhenAll(copies.Select(id => factory.SendAsync(transfer, id)));
        var later = Guid.NewGuid();
        await factory.SendAsync(transfer with { TransferId = Guid.NewGuid(), AmountCents = 100 }, later);
        foreach (var id in copies.Append(later))
            await ProcessedAsync(id);

        var entry = await InDbAsync(db => db.Ledger.SingleAsync(e => e.Id == transfer.TransferId));
        entry.ShouldSatisfyAllConditions(
            e => e.Type.ShouldBe(LedgerEntryTypes.Commission),
            e => e.AmountCents.ShouldBe(1_234),
            e => e.UserId.ShouldBe(distributor));
        var client = factory.ClientAs(distributor, Derp.ServiceDefaults.Auth.Roles.Renter);
        (await client.GetFromJsonAsync<WalletResponse>("/api/finance/me/wallet"))!.BalanceCents.ShouldBe(1_334);
        var ledger = await client.GetFromJsonAsync<PagedResponse<LedgerEntryResponse>>("/api/finance/me/wallet/ledger");
        ledger!.Items.Count(e => e.Type == LedgerEntryTypes.Commission).ShouldBe(2);
    }

    [Fact]
    public async Task A_transfer_without_money_credits_nothing()
    {
        var distributor = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        await factory.SendAsync(new CommissionMovedToWallet(Guid.NewGuid(), distributor, 0, Currencies.Cny, DateTimeOffset.UtcNow), messageId);
        await ProcessedAsync(messageId);
        (await InDbAsync(db => db.Ledger.AnyAsync(e => e.UserId == distributor))).ShouldBeFalse();
    }
}
