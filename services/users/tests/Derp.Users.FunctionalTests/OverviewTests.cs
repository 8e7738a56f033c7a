using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Users;
using Derp.ServiceDefaults.Auth;
using Derp.TestSupport;
using Derp.Users.Api.Infrastructure;
using Derp.Users.Api.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Users.FunctionalTests;

/// <summary>The renters' overview figures against rentals written straight into the database, and the lists they link to.</summary>
public sealed class OverviewTests(UsersApiFactory factory) : IClassFixture<UsersApiFactory>
{
    private async Task AddRenterAsync(DateTimeOffset registered, string? rentalStatus = null, DateTimeOffset? periodStart = null, DateTimeOffset? expires = null)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersContext>();
        var name = "ov" + Guid.NewGuid().ToString("N")[..12];
        var user = new User
        {
            Id = Guid.CreateVersion7(), Email = $"{name}@derp.test", NormalizedEmail = $"{name}@derp.test", Username = name, NormalizedUsername = name,
            PasswordHash = "-", Role = Roles.Renter, EmailVerified = true, CreatedAt = registered,
        };
        db.Users.Add(user);
        if (rentalStatus is not null)
        {
            var rental = new Rental { Id = Guid.CreateVersion7(), UserId = user.Id, Status = rentalStatus, StartedAt = periodStart!.Value, ExpiresAt = expires!.Value };
            db.Rentals.Add(rental);
            db.RentalPeriods.Add(new RentalPeriod
            {
                Id = Guid.CreateVersion7(), RentalId = rental.Id, UserId = user.Id, Source = RentalSources.Admin, StartsAt = periodStart.Value,
                EndsAt = expires.Value, CreatedAt = periodStart.Value,
            });
        }
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Active_rentals_expiring_soon_and_new_renters_are_counted_as_their_lists_show_with_daily_sparklines()
    {
        var now = factory.Clock.GetUtcNow();
        await AddRenterAsync(now.AddDays(-20), RentalStatuses.Active, now.AddDays(-20), now.AddDays(25));
        await AddRenterAsync(now.AddDays(-3), RentalStatuses.Active, now.AddDays(-3), now.AddDays(2).AddHours(1));
        await AddRenterAsync(now.AddHours(-1), RentalStatuses.Active, now.AddHours(-1), now.AddDays(6));
        await AddRenterAsync(now.AddDays(-40), RentalStatuses.Expired, now.AddDays(-40), now.AddDays(-10));
        await AddRenterAsync(now.AddDays(-2));

        var admin = factory.ClientAs(Guid.NewGuid(), Roles.Admin);
        var overview = await admin.GetFromJsonAsync<JsonElement>("/api/users/admin/overview");

        Value(overview, "activeRentals").ShouldBe(3);
        (await admin.GetFromJsonAsync<JsonElement>("/api/users/rentals?status=active")).GetProperty("total").GetInt32().ShouldBe(3);
        var active = Points(overview, "activeRentals");
        active.Count.ShouldBe(14);
        active[^1].V.ShouldBe(3);
        active[^5].V.ShouldBe(1, "four days ago only the oldest rental ran (the expired one ended ten days ago)");
        active[0].V.ShouldBe(2, "thirteen days ago the oldest rental and the one that expired later both ran");

        Value(overview, "expiringSoon").ShouldBe(2);
        overview.GetProperty("expiringWithinDays").GetInt32().ShouldBe(7);
        (await admin.GetFromJsonAsync<JsonElement>("/api/users/rentals?expiringWithinDays=7")).GetProperty("total").GetInt32().ShouldBe(2);
        var ahead = Points(overview, "expiringSoon");
        ahead.Count.ShouldBe(8);
        ahead.Sum(p => p.V).ShouldBe(2);
        ahead[0].T.ShouldBeLessThanOrEqualTo(now);

        // Renters registered in the last seven days of the reporting zone: three days ago, two days ago, an hour ago.
        Value(overview, "newRenters").ShouldBe(3);
        Points(overview, "newRenters").Sum(p => p.V).ShouldBe(3, "the 14 days hold the same three (the others registered 20 and 40 days ago)");
        overview.GetProperty("timeZone").GetString().ShouldBe("Asia/Shanghai");
    }

    [Fact]
    public async Task Only_admins_see_the_overview()
    {
        (await factory.ClientAs(Guid.NewGuid(), Roles.Renter).GetAsync("/api/users/admin/overview")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await factory.CreateClient().GetAsync("/api/users/admin/overview")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private static double Value(JsonElement overview, string figure) => overview.GetProperty(figure).GetProperty("value").GetDouble();

    private static List<(DateTimeOffset T, double V)> Points(JsonElement overview, string figure) =>
        overview.GetProperty(figure).GetProperty("points").EnumerateArray()
            .Select(p => (p.GetProperty("t").GetDateTimeOffset(), p.GetProperty("v").GetDouble())).ToList();
}
