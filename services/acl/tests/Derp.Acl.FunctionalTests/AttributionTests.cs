using System.Net.Http.Json;
using System.Text.Json;
using Derp.Acl.Api.Infrastructure;
using Derp.Acl.Api.IntegrationEvents;
using Derp.Contracts.Distribution;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Messaging;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Acl.FunctionalTests;

/// <summary>distribution's attribution feeds the distributor seam: a distributor sees their renters' policy logs and no one else's.</summary>
public sealed class AttributionTests(AclApiFactory factory) : IClassFixture<AclApiFactory>
{
    private async Task<T> InDbAsync<T>(Func<AclContext, Task<T>> read)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<AclContext>());
    }

    private async Task AttributeAsync(Guid renterId, Guid distributorId)
    {
        var messageId = Guid.NewGuid();
        await factory.SendAsync(new RenterAttributed(renterId, distributorId, Guid.NewGuid(), DateTimeOffset.UtcNow), messageId);
        await Until.TrueAsync(() => InDbAsync(db => db.Set<InboxMessage>().AnyAsync(m => m.MessageId == messageId && m.Consumer == nameof(RenterAttributedConsumer))),
            $"attribution {messageId} to be consumed");
    }

    private static async Task<HashSet<Guid>> UsersInAsync(HttpClient client, string log)
    {
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/acl/logs/{log}?pageSize=200");
        return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("userId").GetGuid()).ToHashSet();
    }

    [Fact]
    public async Task A_distributor_sees_the_logs_of_their_renters_and_not_of_others()
    {
        var distributorId = Guid.NewGuid();
        var mine = await factory.NewRenterAsync();
        var notMine = await factory.NewRenterAsync();
        var someoneElses = await factory.NewRenterAsync();
        await AttributeAsync(mine.Id, distributorId);
        await AttributeAsync(someoneElses.Id, Guid.NewGuid());
        (await mine.Client.GetAsync("/api/acl/me/download")).EnsureSuccessStatusCode();
        (await notMine.Client.GetAsync("/api/acl/me/download")).EnsureSuccessStatusCode();
        (await someoneElses.Client.GetAsync("/api/acl/me/download")).EnsureSuccessStatusCode();

        var distributor = factory.ClientAs(distributorId, Roles.Distributor);
        var generations = await UsersInAsync(distributor, "generations");
        generations.ShouldBe([mine.Id]);
        var downloads = await UsersInAsync(distributor, "downloads");
        downloads.ShouldBe([mine.Id]);
        (await distributor.GetFromJsonAsync<JsonElement>($"/api/acl/logs/generations?userId={notMine.Id}")).GetProperty("total").GetInt32().ShouldBe(0);
        var admins = await UsersInAsync(factory.Admin(), "generations");
        admins.IsSupersetOf([mine.Id, notMine.Id, someoneElses.Id]).ShouldBeTrue();
    }

    [Fact]
    public async Task The_first_attribution_stays_even_before_the_renter_is_known()
    {
        var renterId = Guid.NewGuid();
        var first = Guid.NewGuid();
        await AttributeAsync(renterId, first); // no rental event yet: the row is made
        await AttributeAsync(renterId, Guid.NewGuid());
        (await InDbAsync(db => db.Renters.SingleAsync(r => r.UserId == renterId))).DistributorId.ShouldBe(first);
    }
}
