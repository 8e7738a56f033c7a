using Derp.Contracts.Finance;
using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Finance.FunctionalTests;

/// <summary>The ledger's own guarantees, below any endpoint: never negative, never wrong under concurrency.</summary>
public sealed class LedgerTests(FinanceApiFactory factory) : IClassFixture<FinanceApiFactory>
{
    private async Task<LedgerEntryOutcome> PostAsync(Guid userId, LedgerPosting posting)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FinanceContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var entry = await scope.ServiceProvider.GetRequiredService<Ledger>().PostAsync(userId, posting, CancellationToken.None);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return new(entry is not null, entry?.BalanceAfterCents);
    }

    private sealed record LedgerEntryOutcome(bool Posted, long? BalanceAfter);

    [Fact]
    public async Task Concurrent_debits_that_together_exceed_the_balance_take_only_what_fits()
    {
        var userId = Guid.NewGuid();
        (await PostAsync(userId, new LedgerPosting(LedgerEntryTypes.Adjustment, 1_000))).Posted.ShouldBeTrue();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => PostAsync(userId, new LedgerPosting(LedgerEntryTypes.OrderPayment, -300))));

        outcomes.Count(o => o.Posted).ShouldBe(3);
        outcomes.Where(o => o.Posted).Select(o => o.BalanceAfter).OrderBy(b => b).ShouldBe([100L, 400L, 700L]);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FinanceContext>();
        var balance = await db.Wallets.Where(w => w.UserId == userId).Select(w => w.BalanceCents).SingleAsync();
        balance.ShouldBe(100);
        (await db.Ledger.Where(e => e.UserId == userId).SumAsync(e => e.AmountCents)).ShouldBe(balance);
    }

    [Fact]
    public async Task A_posting_outside_a_transaction_is_refused()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var ledger = scope.ServiceProvider.GetRequiredService<Ledger>();
        await Should.ThrowAsync<InvalidOperationException>(() => ledger.PostAsync(Guid.NewGuid(), new LedgerPosting(LedgerEntryTypes.Adjustment, 5), CancellationToken.None));
    }

    [Fact]
    public async Task Platform_accounts_are_kept_apart_from_renter_wallets()
    {
        var donor = Guid.NewGuid();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FinanceContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var entry = await scope.ServiceProvider.GetRequiredService<Ledger>()
                .PostToPlatformAsync(Derp.Finance.Api.Model.WalletKinds.Donations, donor, new LedgerPosting(LedgerEntryTypes.Donation, 700), CancellationToken.None);
            entry.ShouldNotBeNull();
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
        await using var check = factory.Services.CreateAsyncScope();
        var context = check.ServiceProvider.GetRequiredService<FinanceContext>();
        (await context.Wallets.AnyAsync(w => w.UserId == donor)).ShouldBeFalse();
        (await check.ServiceProvider.GetRequiredService<Ledger>().BalanceAsync(donor, CancellationToken.None)).ShouldBe(0);
    }
}
