using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.TestSupport;

namespace Derp.Users.FunctionalTests;

public sealed class AdminTests(UsersApiFactory factory) : IClassFixture<UsersApiFactory>
{
    private readonly HttpClient _anonymous = factory.CreateClient();

    private async Task<HttpClient> SuperAdminAsync() =>
        factory.ClientWithToken((await _anonymous.LoginTokensAsync(factory.AdminEmail, UsersApiFactory.AdminPassword)).AccessToken);

    [Fact]
    public async Task A_renter_cannot_reach_admin_endpoints()
    {
        var renter = factory.ClientWithToken((await _anonymous.RegisterVerifiedAsync()).AccessToken);

        foreach (var response in new[]
                 {
                     await renter.GetAsync("/api/users"),
                     await renter.GetAsync($"/api/users/{Guid.NewGuid()}"),
                     await renter.GetAsync("/api/audit"),
                     await renter.PutAsJsonAsync($"/api/users/{Guid.NewGuid()}/role", new { role = "admin" }),
                 })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await response.ProblemCodeAsync()).ShouldBe("forbidden");
        }
    }

    [Fact]
    public async Task The_configured_superadmin_lists_and_searches_users()
    {
        var email = UsersApiClient.NewEmail();
        await _anonymous.RegisterVerifiedAsync(email);
        var admin = await SuperAdminAsync();

        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/users?q={email[..10].ToUpperInvariant()}&role=renter&page=1&pageSize=5");

        page.GetProperty("total").GetInt32().ShouldBe(1);
        page.GetProperty("items")[0].GetProperty("email").GetString().ShouldBe(email);
        var id = page.GetProperty("items")[0].GetProperty("id").GetGuid();
        (await admin.GetFromJsonAsync<JsonElement>($"/api/users/{id}")).GetProperty("email").GetString().ShouldBe(email);
    }

    [Theory]
    [InlineData("/api/users?page=0")]
    [InlineData("/api/users?pageSize=1000")]
    [InlineData("/api/users?role=emperor")]
    [InlineData("/api/users?page=abc")]
    [InlineData("/api/audit?action=unknown")]
    [InlineData("/api/audit?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z")]
    public async Task Bad_query_parameters_are_400_problems(string url)
    {
        var response = await (await SuperAdminAsync()).GetAsync(url);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBeOneOf("validation_failed", "invalid_request");
    }

    [Fact]
    public async Task Unknown_user_is_a_404_problem()
    {
        var response = await (await SuperAdminAsync()).GetAsync($"/api/users/{Guid.NewGuid()}");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.ProblemCodeAsync()).ShouldBe("user_not_found");
    }

    [Fact]
    public async Task Only_a_superadmin_changes_roles_and_the_change_is_audited()
    {
        var superAdmin = await SuperAdminAsync();
        var adminEmail = UsersApiClient.NewEmail();
        await _anonymous.RegisterVerifiedAsync(adminEmail);
        var adminId = await IdOfAsync(superAdmin, adminEmail);

        var promote = await superAdmin.PutAsJsonAsync($"/api/users/{adminId}/role", new { role = "admin" });
        promote.StatusCode.ShouldBe(HttpStatusCode.OK);

        var admin = factory.ClientWithToken((await _anonymous.LoginTokensAsync(adminEmail)).AccessToken);
        (await admin.GetAsync("/api/users")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var byAdmin = await admin.PutAsJsonAsync($"/api/users/{adminId}/role", new { role = "superadmin" });
        byAdmin.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var invalid = await superAdmin.PutAsJsonAsync($"/api/users/{adminId}/role", new { role = "emperor" });
        (await invalid.ProblemCodeAsync()).ShouldBe("validation_failed");

        var audit = await superAdmin.GetFromJsonAsync<JsonElement>($"/api/audit?userId={adminId}&action=role_changed");
        audit.GetProperty("items")[0].GetProperty("detail").GetString().ShouldBe("renter -> admin");
    }

    [Fact]
    public async Task A_superadmin_cannot_change_their_own_role()
    {
        var superAdmin = await SuperAdminAsync();
        var me = await superAdmin.GetFromJsonAsync<JsonElement>("/api/users/me");

        var response = await superAdmin.PutAsJsonAsync($"/api/users/{me.GetProperty("id").GetGuid()}/role", new { role = "renter" });

        (await response.ProblemCodeAsync()).ShouldBe("cannot_change_own_role");
    }

    [Fact]
    public async Task Logins_and_failures_land_in_the_operation_log_with_address_and_agent()
    {
        var email = UsersApiClient.NewEmail();
        await _anonymous.RegisterVerifiedAsync(email);
        await _anonymous.LoginAsync(email, "wrong-password-1");
        var superAdmin = await SuperAdminAsync();
        var id = await IdOfAsync(superAdmin, email);

        var log = await superAdmin.GetFromJsonAsync<JsonElement>($"/api/audit?userId={id}");

        var actions = log.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        actions.ShouldContain("registered");
        actions.ShouldContain("email_verified");
        actions.ShouldContain("login");
        actions.ShouldContain("login_failed");
    }

    private static async Task<Guid> IdOfAsync(HttpClient admin, string email) =>
        (await admin.GetFromJsonAsync<JsonElement>($"/api/users?q={email}")).GetProperty("items")[0].GetProperty("id").GetGuid();
}
