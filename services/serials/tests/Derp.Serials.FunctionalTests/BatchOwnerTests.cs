using System.Net;
using System.Net.Http.Json;
using Derp.Contracts.Users;
using Derp.TestSupport;

namespace Derp.Serials.FunctionalTests;

public sealed class BatchOwnerTests(SerialsApiFactory factory) : IClassFixture<SerialsApiFactory>
{
    private Task<HttpResponseMessage> CreateAsync(object extra) =>
        factory.Admin().PostAsJsonAsync("/api/serials/batches",
            new Dictionary<string, object?> { ["prefix"] = "OWN", ["count"] = 1, ["kind"] = "rental", ["durationDays"] = 30 }
                .Concat(extra.GetType().GetProperties().Select(p => KeyValuePair.Create(p.Name, p.GetValue(extra))))
                .ToDictionary());

    [Fact]
    public async Task Only_a_user_who_is_a_distributor_can_own_a_batch()
    {
        var stranger = await CreateAsync(new { distributorId = Guid.NewGuid() });
        stranger.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await stranger.ProblemCodeAsync()).ShouldBe("distributor_not_found");

        var renter = Guid.NewGuid();
        var at = DateTimeOffset.UtcNow;
        await factory.SendToConsumerAsync(new UserRegistered(renter, $"{renter:N}@derp.test", "r" + renter.ToString("N")[..8], "renter", at));
        var promoted = Guid.NewGuid();
        await factory.SendToConsumerAsync(new UserRegistered(promoted, $"{promoted:N}@derp.test", "d" + promoted.ToString("N")[..8], "renter", at));
        await factory.SendToConsumerAsync(new UserRoleChanged(promoted, "renter", "distributor", Guid.NewGuid(), at.AddMinutes(1)));
        // A stale event arriving late (the registration, again under another id) does not undo the promotion.
        await factory.SendToConsumerAsync(new UserRegistered(promoted, $"{promoted:N}@derp.test", "d", "renter", at));

        await Until.TrueAsync(async () => (await CreateAsync(new { distributorId = promoted })).StatusCode == HttpStatusCode.Created,
            "the promoted distributor to own a batch", TimeSpan.FromSeconds(30));
        var notADistributor = await CreateAsync(new { distributorId = renter });
        notADistributor.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

        await factory.SendToConsumerAsync(new UserRoleChanged(promoted, "distributor", "renter", Guid.NewGuid(), at.AddMinutes(2)));
        await Until.TrueAsync(async () => (await CreateAsync(new { distributorId = promoted })).StatusCode == HttpStatusCode.UnprocessableEntity,
            "the demoted distributor to own no new batch", TimeSpan.FromSeconds(30));
    }
}
