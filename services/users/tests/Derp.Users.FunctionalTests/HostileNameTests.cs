using System.Net;
using System.Net.Http.Json;
using Derp.ServiceDefaults.Auth;
using Derp.TestSupport;

namespace Derp.Users.FunctionalTests;

public sealed class HostileNameTests(UsersApiFactory factory) : IClassFixture<UsersApiFactory>
{
    [Theory]
    [InlineData("evil\u202Etxt.exe")]
    [InlineData("iso\u2067late")]
    [InlineData("c1\u0085control")]
    [InlineData("tab\tname")]
    public async Task Device_names_with_control_or_bidi_override_characters_are_refused(string name)
    {
        var renter = factory.ClientWithToken((await factory.CreateClient().RegisterVerifiedAsync()).AccessToken);

        var response = await renter.PostAsJsonAsync("/api/users/me/devices",
            new { name, machineCode = "M", nodeKey = "nodekey:" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBe("validation_failed");
        (await response.Content.ReadAsStringAsync()).ShouldContain("\"name\"");
    }

    [Fact]
    public async Task An_admin_extension_reaches_at_most_ten_years()
    {
        var email = UsersApiClient.NewEmail();
        await factory.CreateClient().RegisterVerifiedAsync(email);
        var admin = factory.ClientAs(Guid.NewGuid(), Roles.Admin);
        var users = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/users?q={Uri.EscapeDataString(email)}");
        var userId = users.GetProperty("items")[0].GetProperty("id").GetGuid();
        var now = factory.Clock.GetUtcNow();

        var tooFar = await admin.PostAsJsonAsync($"/api/users/{userId}/rental/extend", new { until = now.AddYears(10).AddDays(2) });
        var pastTheRange = await admin.PostAsJsonAsync($"/api/users/{userId}/rental/extend", new { until = "9999-12-31T00:00:00Z" });
        var fine = await admin.PostAsJsonAsync($"/api/users/{userId}/rental/extend", new { until = now.AddYears(1) });

        tooFar.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await tooFar.ProblemCodeAsync()).ShouldBe("validation_failed");
        pastTheRange.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await pastTheRange.ProblemCodeAsync()).ShouldBe("validation_failed");
        fine.StatusCode.ShouldBe(HttpStatusCode.OK, await fine.Content.ReadAsStringAsync());
    }
}
