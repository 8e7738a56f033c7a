using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Finance;
using Derp.Contracts.Serials;
using Derp.Finance.Api.Apis;
using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.IntegrationEvents;
using Derp.Finance.Api.Model;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Messaging;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Finance.FunctionalTests;

/// <summary>Balance and donation serials (seed 004) arriving from serials, and the donation lists they feed.</summary>
public sealed class SerialRedeemedTests(FinanceApiFactory factory) : IClassFixture<FinanceApiFactory>
{
    private static SerialRedeemed Redemption(Guid userId, string kind, long? valueCents, Guid? relatedId = null) =>
        new(Guid.NewGuid(), $"DERP-{Guid.NewGuid():N}"[..21].ToUpperInvariant(), userId, kind, SerialKinds.UseTypeOf(kind), null, null, null, null,
            valueCents, null, DateTimeOffset.UtcNow) { RelatedId = relatedId };

    private async Task<T> InDbAsync<T>(Func<FinanceContext, Task<T>> read)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<FinanceContext>());
    }

    private Task ProcessedAsync(Guid messageId) =>
        Until.TrueAsync(() => InDbAsync(db => db.Set<InboxMessage>().AnyAsync(m => m.MessageId == messageId && m.Consumer == nameof(SerialRedeemedConsumer))),
            $"message {messageId} to be consumed");

    private async Task SetPublicDonationsAsync(bool enabled) =>
        await InDbAsync(async db =>
        {
            var settings = await db.Settings.SingleOrDefaultAsync(s => s.Id == FinanceSettings.SingletonId);
            if (settings is null)
                db.Settings.Add(settings = new FinanceSettings());
            settings.PublicDonations = enabled;
            settings.UpdatedAt = DateTimeOffset.UtcNow;
            return await db.SaveChangesAsync();
        });

    [Fact]
    public async Task A_balance_serial_credits_its_value_once_under_the_id_serials_chose()
    {
        var user = Guid.NewGuid();
        var entryId = Guid.NewGuid();
        var redeemed = Redemption(user, SerialKinds.Balance, 1_500, entryId);
        var messageId = Guid.NewGuid();
        await factory.SendAsync(redeemed, messageId);
        await ProcessedAsync(messageId);

        var entry = await InDbAsync(db => db.Ledger.SingleAsync(e => e.Id == entryId));
        entry.ShouldSatisfyAllConditions(
            e => e.Type.ShouldBe(LedgerEntryTypes.SerialTopUp),
            e => e.AmountCents.ShouldBe(1_500),
            e => e.SerialId.ShouldBe(redeemed.SerialId),
            e => e.UserId.ShouldBe(user));

        // Redelivered, then the same serial in another message (a republished outbox row), then a later serial.
        await factory.SendAsync(redeemed, messageId);
        var again = Guid.NewGuid();
        await factory.SendAsync(redeemed, again);
        var later = Guid.NewGuid();
        await factory.SendAsync(Redemption(user, SerialKinds.Balance, 200), later);
        await ProcessedAsync(again);
        await ProcessedAsync(later);

        (await factory.Renter(user).GetFromJsonAsync<WalletResponse>("/api/finance/me/wallet"))!.BalanceCents.ShouldBe(1_700);
        var ledger = await factory.Renter(user).GetFromJsonAsync<PagedResponse<LedgerEntryResponse>>("/api/finance/me/wallet/ledger");
        ledger!.Items.Count(e => e.SerialId == redeemed.SerialId).ShouldBe(1);
        ledger.Items.Single(e => e.SerialId == redeemed.SerialId).Id.ShouldBe(entryId);
    }

    [Fact]
    public async Task A_balance_serial_without_a_related_id_still_credits_once_when_its_copies_arrive_together()
    {
        var user = Guid.NewGuid();
        var redeemed = Redemption(user, SerialKinds.Balance, 800);
        var messages = Enumerable.Range(0, 8).Select(_ => Guid.NewGuid()).ToList();
        await Task.WhenAll(messages.Select(m => factory.SendAsync(redeemed, m)));
        foreach (var message in messages)
            await ProcessedAsync(message);

        (await InDbAsync(db => db.Ledger.CountAsync(e => e.SerialId == redeemed.SerialId))).ShouldBe(1);
        (await InDbAsync(db => db.Wallets.SingleAsync(w => w.UserId == user))).BalanceCents.ShouldBe(800);
    }

    [Fact]
    public async Task Serials_without_a_value_or_of_other_kinds_change_no_money()
    {
        var user = Guid.NewGuid();
        await factory.SendAsync(Redemption(user, SerialKinds.Balance, null));
        await factory.SendAsync(Redemption(user, SerialKinds.Donation, 0));
        await factory.SendAsync(Redemption(user, SerialKinds.Rental, 5_000));
        var marker = Guid.NewGuid();
        await factory.SendAsync(Redemption(user, SerialKinds.Balance, 1), marker);
        await ProcessedAsync(marker);

        (await InDbAsync(db => db.Ledger.Where(e => e.UserId == user).Select(e => e.AmountCents).ToListAsync())).ShouldBe([1L]);
        (await InDbAsync(db => db.Donations.CountAsync(d => d.UserId == user))).ShouldBe(0);
    }

    [Fact]
    public async Task A_donation_serial_becomes_one_donation_on_the_platform_account()
    {
        var user = Guid.NewGuid();
        var donationId = Guid.NewGuid();
        var redeemed = Redemption(user, SerialKinds.Donation, 6_600, donationId) with { DonorName = "  小明  ", DonationMessage = "谢谢!" };
        var messageId = Guid.NewGuid();
        await factory.SendAsync(redeemed, messageId);
        await ProcessedAsync(messageId);
        var again = Guid.NewGuid();
        await factory.SendAsync(redeemed, messageId);
        await factory.SendAsync(redeemed, again);
        await ProcessedAsync(again);

        var donation = await InDbAsync(db => db.Donations.SingleAsync(d => d.SerialId == redeemed.SerialId));
        donation.ShouldSatisfyAllConditions(
            d => d.Id.ShouldBe(donationId),
            d => d.DonorName.ShouldBe("小明"),
            d => d.Message.ShouldBe("谢谢!"),
            d => d.Anonymous.ShouldBeFalse(),
            d => d.AmountCents.ShouldBe(6_600),
            d => d.FullCode.ShouldBe(redeemed.FullCode));
        var entry = await InDbAsync(db => db.Ledger.SingleAsync(e => e.DonationId == donationId));
        entry.Type.ShouldBe(LedgerEntryTypes.Donation);
        entry.AmountCents.ShouldBe(6_600);
        (await InDbAsync(db => db.Wallets.SingleAsync(w => w.Id == entry.WalletId))).Kind.ShouldBe(WalletKinds.Donations);
        // Not the donor's money any more: the renter's own wallet and ledger do not show it.
        (await factory.Renter(user).GetFromJsonAsync<WalletResponse>("/api/finance/me/wallet"))!.BalanceCents.ShouldBe(0);
        (await factory.Renter(user).GetFromJsonAsync<PagedResponse<LedgerEntryResponse>>("/api/finance/me/wallet/ledger"))!.Total.ShouldBe(0);

        var mine = await factory.Renter(user).GetFromJsonAsync<PagedResponse<MyDonationResponse>>("/api/finance/me/donations");
        mine!.Items.Single().ShouldSatisfyAllConditions(d => d.Id.ShouldBe(donationId), d => d.AmountCents.ShouldBe(6_600));
        (await factory.Renter(Guid.NewGuid()).GetFromJsonAsync<PagedResponse<MyDonationResponse>>("/api/finance/me/donations"))!.Total.ShouldBe(0);

        await InDbAsync(async db =>
        {
            db.Renters.Add(new Renter { UserId = user, Email = "donor@example.test", UpdatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });
        var all = await factory.Admin().GetFromJsonAsync<PagedResponse<DonationResponse>>($"/api/finance/donations?userId={user}");
        all!.Items.Single().ShouldSatisfyAllConditions(
            d => d.FullCode.ShouldBe(redeemed.FullCode),
            d => d.UserEmail.ShouldBe("donor@example.test"),
            d => d.DonorName.ShouldBe("小明"));
    }

    [Fact]
    public async Task The_admin_donation_list_filters_by_time_and_refuses_bad_ranges()
    {
        var user = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        var redeemed = Redemption(user, SerialKinds.Donation, 100, Guid.NewGuid());
        await factory.SendAsync(redeemed, messageId);
        await ProcessedAsync(messageId);
        var createdAt = (await InDbAsync(db => db.Donations.SingleAsync(d => d.SerialId == redeemed.SerialId))).CreatedAt;
        var admin = factory.Admin();

        string Range(DateTimeOffset from, DateTimeOffset to) =>
            $"/api/finance/donations?userId={user}&from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}";
        (await admin.GetFromJsonAsync<PagedResponse<DonationResponse>>(Range(createdAt.AddMinutes(-1), createdAt.AddMinutes(1))))!.Total.ShouldBe(1);
        // The same instant written with Beijing's offset.
        (await admin.GetFromJsonAsync<PagedResponse<DonationResponse>>(Range(createdAt.AddMinutes(-1).ToOffset(TimeSpan.FromHours(8)), createdAt.AddMinutes(1).ToOffset(TimeSpan.FromHours(8)))))!
            .Total.ShouldBe(1);
        (await admin.GetFromJsonAsync<PagedResponse<DonationResponse>>(Range(createdAt.AddMinutes(1), createdAt.AddMinutes(2))))!.Total.ShouldBe(0);

        var backwards = await admin.GetAsync(Range(createdAt, createdAt.AddMinutes(-1)));
        backwards.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await backwards.ProblemCodeAsync()).ShouldBe("validation_failed");
        (await admin.GetAsync("/api/finance/donations?from=yesterday")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await factory.Renter(user).GetAsync("/api/finance/donations")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_public_thank_you_list_is_off_until_enabled_and_hides_anonymous_donors()
    {
        var anonymousDonor = Guid.NewGuid();
        var namedDonor = Guid.NewGuid();
        var hidden = Redemption(anonymousDonor, SerialKinds.Donation, 300, Guid.NewGuid()) with { DonorName = "Secret Sam", DonationMessage = "keep going", DonationAnonymous = true };
        var shown = Redemption(namedDonor, SerialKinds.Donation, 500, Guid.NewGuid()) with { DonorName = "Open Olga" };
        var (m1, m2) = (Guid.NewGuid(), Guid.NewGuid());
        await factory.SendAsync(hidden, m1);
        await factory.SendAsync(shown, m2);
        await ProcessedAsync(m1);
        await ProcessedAsync(m2);
        var anonymous = factory.CreateClient();

        await SetPublicDonationsAsync(false);
        var off = await anonymous.GetAsync("/api/finance/donations/public");
        off.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await off.ProblemCodeAsync()).ShouldBe(FinanceProblemCodes.PublicDonationsOff);

        await SetPublicDonationsAsync(true);
        var response = await anonymous.GetAsync("/api/finance/donations/public?pageSize=200");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadAsStringAsync();
        var list = JsonSerializer.Deserialize<PagedResponse<PublicDonationResponse>>(body, JsonSerializerOptions.Web)!;
        list.Items.ShouldContain(d => d.DonorName == "Open Olga" && d.AmountCents == 500 && !d.Anonymous);
        list.Items.ShouldContain(d => d.DonorName == null && d.Anonymous && d.AmountCents == 300 && d.Message == "keep going");
        body.ShouldNotContain("Secret Sam");
        foreach (var secret in new[] { anonymousDonor.ToString(), namedDonor.ToString(), hidden.FullCode, shown.FullCode, hidden.SerialId.ToString(), "userId", "fullCode" })
            body.ShouldNotContain(secret, Case.Insensitive);

        (await anonymous.GetAsync("/api/finance/donations/public?page=0")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        await SetPublicDonationsAsync(false);
    }
}
