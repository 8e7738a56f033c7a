using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Derp.TestSupport;

namespace Derp.Users.FunctionalTests;

/// <summary>Issue 14: people by name (lookup, filters that take a part of an email) and the audit log for operators.</summary>
public sealed class PeopleAndAuditTests(UsersApiFactory factory) : IClassFixture<UsersApiFactory>
{
    private readonly HttpClient _anonymous = factory.CreateClient();

    private async Task<HttpClient> SuperAdminAsync() =>
        factory.ClientWithToken((await _anonymous.LoginTokensAsync(factory.AdminEmail, UsersApiFactory.AdminPassword)).AccessToken);

    private async Task<(Guid Id, string Email, HttpClient Client)> RenterAsync(HttpClient admin, string? email = null)
    {
        email ??= UsersApiClient.NewEmail();
        var client = factory.ClientWithToken((await _anonymous.RegisterVerifiedAsync(email)).AccessToken);
        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/users?q={Uri.EscapeDataString(email)}");
        return (page.GetProperty("items")[0].GetProperty("id").GetGuid(), email, client);
    }

    [Fact]
    public async Task Lookup_resolves_ids_to_people_and_leaves_out_unknown_ids()
    {
        var admin = await SuperAdminAsync();
        var first = await RenterAsync(admin);
        var second = await RenterAsync(admin);

        var people = await admin.GetFromJsonAsync<JsonElement>($"/api/users/lookup?ids={first.Id},{second.Id.ToString().ToUpperInvariant()},{Guid.NewGuid()}, {first.Id}");

        people.GetArrayLength().ShouldBe(2);
        var byId = people.EnumerateArray().ToDictionary(p => p.GetProperty("id").GetGuid());
        byId[first.Id].GetProperty("email").GetString().ShouldBe(first.Email);
        byId[second.Id].GetProperty("email").GetString().ShouldBe(second.Email);
        byId[first.Id].GetProperty("role").GetString().ShouldBe("renter");
        byId[first.Id].GetProperty("username").GetString().ShouldNotBeNullOrEmpty();
    }

    [Theory]
    [InlineData("/api/users/lookup")]
    [InlineData("/api/users/lookup?ids=")]
    [InlineData("/api/users/lookup?ids=not-a-guid")]
    [InlineData("/api/audit/facets?action=nothing")]
    [InlineData("/api/audit/export?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z")]
    [InlineData("/api/audit?security=maybe")]
    public async Task Bad_lookups_and_audit_filters_are_400_problems(string url)
    {
        var response = await (await SuperAdminAsync()).GetAsync(url);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBeOneOf("validation_failed", "invalid_request");
    }

    [Fact]
    public async Task A_lookup_of_more_than_200_ids_is_refused()
    {
        var ids = string.Join(',', Enumerable.Range(0, 201).Select(_ => Guid.NewGuid()));

        var response = await (await SuperAdminAsync()).GetAsync($"/api/users/lookup?ids={ids}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBe("validation_failed");
    }

    [Fact]
    public async Task An_audit_name_filter_longer_than_an_email_is_refused()
    {
        var response = await (await SuperAdminAsync()).GetAsync($"/api/audit?user={new string('x', 255)}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBe("validation_failed");
    }

    [Fact]
    public async Task A_renter_cannot_look_people_up_or_read_the_audit_log()
    {
        var renter = factory.ClientWithToken((await _anonymous.RegisterVerifiedAsync()).AccessToken);

        foreach (var url in new[] { $"/api/users/lookup?ids={Guid.NewGuid()}", "/api/audit/facets", "/api/audit/export" })
            (await renter.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Audit_rows_name_their_actor_and_target_and_filter_by_a_part_of_either_email()
    {
        var admin = await SuperAdminAsync();
        var renter = await RenterAsync(admin);
        (await admin.PutAsJsonAsync($"/api/users/{renter.Id}/role", new { role = "distributor" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var part = renter.Email[1..12].ToUpperInvariant();
        var page = await admin.GetFromJsonAsync<JsonElement>($"/api/audit?user={part}&action=role_changed");
        var row = page.GetProperty("items").EnumerateArray().Single();
        row.GetProperty("userEmail").GetString().ShouldBe(renter.Email);
        row.GetProperty("actorEmail").GetString().ShouldBe(factory.AdminEmail);
        row.GetProperty("actorUsername").GetString().ShouldStartWith("root-");
        row.GetProperty("security").GetBoolean().ShouldBeTrue();

        var byActor = await admin.GetFromJsonAsync<JsonElement>($"/api/audit?actor={Uri.EscapeDataString(factory.AdminEmail)}&user={part}");
        byActor.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("action").GetString()).ShouldBe(["role_changed"]);
        // The renter's own actions (registered, verified, login) name the renter as the actor.
        var own = await admin.GetFromJsonAsync<JsonElement>($"/api/audit?actor={part}&action=login");
        own.GetProperty("items")[0].GetProperty("actorEmail").GetString().ShouldBe(renter.Email);
    }

    [Fact]
    public async Task Facets_count_the_actions_of_a_date_range_and_security_events_are_flagged()
    {
        var admin = await SuperAdminAsync();
        var renter = await RenterAsync(admin);
        var from = factory.Clock.GetUtcNow().AddDays(1);
        factory.Clock.Advance(TimeSpan.FromDays(2));
        (await _anonymous.LoginAsync(renter.Email, "wrong-password-1")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _anonymous.LoginAsync(renter.Email, "wrong-password-2")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await _anonymous.LoginTokensAsync(renter.Email);
        var range = $"user={Uri.EscapeDataString(renter.Email)}&from={Uri.EscapeDataString(from.ToString("O"))}";

        var facets = await admin.GetFromJsonAsync<JsonElement>($"/api/audit/facets?{range}&action=login");

        // Registration and verification happened before the range; the facets ignore their own filter's action.
        facets.EnumerateArray().Select(f => (f.GetProperty("action").GetString(), f.GetProperty("count").GetInt32(), f.GetProperty("security").GetBoolean()))
            .ShouldBe([("login_failed", 2, true), ("login", 1, false)]);
        var security = await admin.GetFromJsonAsync<JsonElement>($"/api/audit?{range}&security=true");
        security.GetProperty("total").GetInt32().ShouldBe(2);
        security.GetProperty("items").EnumerateArray().ShouldAllBe(r => r.GetProperty("action").GetString() == "login_failed");
        var before = await admin.GetFromJsonAsync<JsonElement>(
            $"/api/audit?user={Uri.EscapeDataString(renter.Email)}&to={Uri.EscapeDataString(from.ToString("O"))}");
        before.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("action").GetString()).ShouldNotContain("login_failed");
    }

    [Fact]
    public async Task The_audit_export_is_a_utf8_csv_with_a_bom_that_no_spreadsheet_runs_as_a_formula()
    {
        var admin = await SuperAdminAsync();
        var email = UsersApiClient.NewEmail();
        var username = "-sum" + Guid.NewGuid().ToString("N")[..8];
        (await _anonymous.RegisterAsync(email, username)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var response = await admin.GetAsync($"/api/audit/export?user={Uri.EscapeDataString(email)}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        response.Content.Headers.ContentDisposition!.ToString().ShouldContain("attachment");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        bytes[..3].ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("id,created_at,action,security,target_id,target_email,target_username");
        lines.Length.ShouldBe(2);
        lines[1].ShouldContain(",registered,no,");
        lines[1].ShouldContain($",{email},'{username},");
        lines[1].ShouldNotContain($",{username}");
    }

    [Fact]
    public async Task Rentals_and_mails_filter_by_a_part_of_the_renters_email()
    {
        var admin = await SuperAdminAsync();
        var renter = await RenterAsync(admin);
        await RenterAsync(admin);
        (await admin.PostAsJsonAsync($"/api/users/{renter.Id}/rental/extend", new { until = factory.Clock.GetUtcNow().AddDays(5) }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var part = renter.Email[..14].ToUpperInvariant();

        var rentals = await admin.GetFromJsonAsync<JsonElement>($"/api/users/rentals?q={part}");
        var mails = await admin.GetFromJsonAsync<JsonElement>($"/api/users/emails?q={part}");

        rentals.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("email").GetString()).ShouldBe([renter.Email]);
        mails.GetProperty("items").EnumerateArray().ShouldNotBeEmpty();
        mails.GetProperty("items").EnumerateArray().ShouldAllBe(m => m.GetProperty("recipient").GetString() == renter.Email);
    }
}
