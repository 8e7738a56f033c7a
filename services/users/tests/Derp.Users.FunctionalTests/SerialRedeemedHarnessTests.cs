using Derp.Contracts.Serials;
using Derp.Contracts.Users;
using Derp.ServiceDefaults.Auth;
using Derp.TestSupport;
using Derp.Users.Api.Infrastructure;
using Derp.Users.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Users.FunctionalTests;

/// <summary>The users service on MassTransit's in-memory harness with its real database: no RabbitMQ (ADR-015).</summary>
public sealed class UsersHarnessFactory : HarnessServiceFactory<Program>
{
    public UsersHarnessFactory() : base("users_harness") { }
}

/// <summary>
/// <c>SerialRedeemedConsumer</c>'s rules, given its message once, twice, redelivered or for an account that cannot
/// rent: what it changes in the users database and what leaves through the outbox. Delivery through RabbitMQ itself is
/// <see cref="RentalTests"/>'s.
/// </summary>
public sealed class SerialRedeemedHarnessTests(UsersHarnessFactory factory) : IClassFixture<UsersHarnessFactory>
{
    private static SerialRedeemed Redemption(Guid userId, Guid serialId, int? days = 30, int? hours = null, string kind = "rental") =>
        new(serialId, "VIP-TEST", userId, kind, "membership", null, days, hours, 100, null, null, DateTimeOffset.UtcNow) { ClientIp = "203.0.113.46" };

    private async Task<User> NewUserAsync(string status = UserStatuses.Active)
    {
        var name = "u" + Guid.NewGuid().ToString("N")[..12];
        var user = new User
        {
            Id = Guid.CreateVersion7(),
            Email = $"{name}@derp.test",
            NormalizedEmail = $"{name}@derp.test",
            Username = name,
            NormalizedUsername = name,
            PasswordHash = "not-used",
            Role = Roles.Renter,
            EmailVerified = true,
            CreatedAt = factory.Clock.GetUtcNow(),
            Status = status,
        };
        await WithDbAsync(async db =>
        {
            db.Users.Add(user);
            await db.SaveChangesAsync();
        });
        return user;
    }

    private async Task WithDbAsync(Func<UsersContext, Task> action)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<UsersContext>());
    }

    private async Task<(Rental? Rental, List<RentalPeriod> Periods)> RentalOfAsync(Guid userId)
    {
        (Rental?, List<RentalPeriod>) result = default;
        await WithDbAsync(async db => result = (
            await db.Rentals.AsNoTracking().SingleOrDefaultAsync(r => r.UserId == userId),
            await db.RentalPeriods.AsNoTracking().Where(p => p.UserId == userId).OrderBy(p => p.StartsAt).ToListAsync()));
        return result;
    }

    private Task PublishAsync(SerialRedeemed redeemed, Guid? messageId = null) => factory.PublishAsync(redeemed, messageId);

    private Task ConsumedAsync(Guid serialId, int times = 1) => factory.ConsumedAsync<SerialRedeemed>(m => m.SerialId == serialId, times);

    [Fact]
    public async Task A_redeemed_rental_serial_becomes_an_active_rental_and_RentalActivated_leaves_through_the_outbox()
    {
        var user = await NewUserAsync();
        var serialId = Guid.NewGuid();

        await PublishAsync(Redemption(user.Id, serialId, days: 30));

        await ConsumedAsync(serialId);
        (await factory.Harness.Consumed.Any<SerialRedeemed>(m => m.Context.Message.SerialId == serialId && m.Exception == null)).ShouldBeTrue();
        var (rental, periods) = await RentalOfAsync(user.Id);
        rental.ShouldNotBeNull();
        rental.Status.ShouldBe(RentalStatuses.Active);
        rental.ExpiresAt.ShouldBe(factory.Clock.GetUtcNow().AddDays(30), TimeSpan.FromMilliseconds(1));
        periods.ShouldHaveSingleItem().SerialId.ShouldBe(serialId);
        var activated = await factory.PublishedAsync<RentalActivated>(m => m.UserId == user.Id);
        activated.RentalId.ShouldBe(rental.Id);
        activated.ClientIp.ShouldBe("203.0.113.46"); // the redemption's address travels on
        (await factory.Harness.Published.Any<RentalActivated>(m => m.Context.Message.UserId == user.Id)).ShouldBeTrue();
    }

    [Fact]
    public async Task The_same_serial_again_or_redelivered_adds_nothing_and_a_second_serial_stacks_on_the_expiry()
    {
        var user = await NewUserAsync();
        var first = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        await PublishAsync(Redemption(user.Id, first, days: 30), messageId);
        await ConsumedAsync(first);
        var expiry = (await RentalOfAsync(user.Id)).Rental!.ExpiresAt;

        await PublishAsync(Redemption(user.Id, first, days: 30), messageId); // a redelivery: the inbox knows it
        await PublishAsync(Redemption(user.Id, first, days: 30)); // the same serial in another message
        await ConsumedAsync(first, times: 3);

        (await RentalOfAsync(user.Id)).Rental!.ExpiresAt.ShouldBe(expiry);
        (await RentalOfAsync(user.Id)).Periods.Count.ShouldBe(1);

        var second = Guid.NewGuid();
        await PublishAsync(Redemption(user.Id, second, days: null, hours: 12));
        await ConsumedAsync(second);

        var (rental, periods) = await RentalOfAsync(user.Id);
        rental!.ExpiresAt.ShouldBe(expiry.AddHours(12));
        periods.Select(p => p.SerialId).ShouldBe([first, second]);
        periods[1].StartsAt.ShouldBe(expiry);
        var extended = await factory.PublishedAsync<RentalExtended>(m => m.UserId == user.Id);
        extended.PreviousExpiresAt.ShouldBe(expiry, TimeSpan.FromMilliseconds(1));
        extended.ExpiresAt.ShouldBe(expiry.AddHours(12), TimeSpan.FromMilliseconds(1));
        factory.PublishedSoFar<RentalExtended>(m => m.UserId == user.Id).Count.ShouldBe(1); // the duplicates extended nothing
    }

    [Fact]
    public async Task A_closed_accounts_redemption_makes_no_rental()
    {
        var user = await NewUserAsync(UserStatuses.Deregistered);
        var serialId = Guid.NewGuid();

        await PublishAsync(Redemption(user.Id, serialId));
        await ConsumedAsync(serialId);

        var (rental, periods) = await RentalOfAsync(user.Id);
        rental.ShouldBeNull();
        periods.ShouldBeEmpty();
    }

    [Fact]
    public async Task Balance_serials_are_left_to_finance()
    {
        var user = await NewUserAsync();
        var serialId = Guid.NewGuid();

        await PublishAsync(Redemption(user.Id, serialId, kind: "balance"));
        await ConsumedAsync(serialId);

        (await RentalOfAsync(user.Id)).Rental.ShouldBeNull();
    }
}
