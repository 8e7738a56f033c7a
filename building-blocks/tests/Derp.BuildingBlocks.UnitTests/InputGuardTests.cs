using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Derp.ServiceDefaults;
using Derp.ServiceDefaults.Http;
using Derp.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.BuildingBlocks.UnitTests;

/// <summary>A bare app with the building blocks' middleware in the order UseServiceDefaults puts them.</summary>
public sealed class InputGuardHost : IAsyncLifetime
{
    private WebApplication? _app;

    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddDerpProblemDetails();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        _app = builder.Build();
        _app.UseMiddleware<NoStoreApiResponsesMiddleware>();
        _app.UseExceptionHandler();
        _app.UseMiddleware<InputGuardMiddleware>();
        // Reads its body itself, as /api/validate does: the guard must leave the body readable.
        _app.MapPost("/api/echo", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            return Results.Text(await reader.ReadToEndAsync(), "application/json");
        });
        _app.MapPost("/api/typed", (Payload payload) => Results.Ok(payload));
        _app.MapGet("/api/items/{name}", (string name, DateTimeOffset? from) => Results.Ok(new { name, from }));
        _app.MapGet("/api/cacheable", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=60";
            return "cacheable";
        });
        await _app.StartAsync();
        Client = _app.GetTestClient();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }

    public sealed record Payload(string Name, DateTimeOffset? Until = null);
}

public sealed class InputGuardTests(InputGuardHost host) : IClassFixture<InputGuardHost>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ErrorsAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBe("validation_failed");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").Clone();
    }

    [Theory]
    [InlineData("""{"hardware":"a\u0000b"}""", "hardware")]
    [InlineData("""{"device":{"name":"x\u0001"}}""", "device.name")]
    [InlineData("""{"items":["ok","\u001b[31m"]}""", "items")]
    [InlineData("""{"name":"\ud800"}""", "name")]
    [InlineData("""{"na\u0000me":"x"}""", "body")]
    [InlineData("""{"del":"x\u007f"}""", "del")]
    public async Task A_control_character_in_any_json_string_is_a_400_naming_the_field(string json, string field)
    {
        var errors = await ErrorsAsync(await host.Client.PostAsync("/api/echo", Json(json)));

        errors.TryGetProperty(field, out _).ShouldBeTrue(errors.ToString());
    }

    [Fact]
    public async Task A_body_without_a_json_content_type_is_checked_too()
    {
        var response = await host.Client.PostAsync("/api/echo", new StringContent("""{"nonce":"\u0000"}""", Encoding.UTF8, "text/plain"));

        (await ErrorsAsync(response)).TryGetProperty("nonce", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Ordinary_text_passes_and_the_endpoint_still_reads_the_body()
    {
        const string json = """{"remark":"line one\nline two\ttabbed","name":"设备 🚀","when":"2026-05-01T00:00:00Z","n":[1,2,{"a":null}]}""";

        var response = await host.Client.PostAsync("/api/echo", Json(json));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe(json);
    }

    [Fact]
    public async Task Broken_json_is_left_to_the_endpoint()
    {
        var response = await host.Client.PostAsync("/api/typed", Json("{\"name\":"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemCodeAsync()).ShouldBe("malformed_json");
    }

    [Theory]
    [InlineData("application/json; charset=foo")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("text/plain; charset=latin1")]
    [InlineData("application/json; charset=\"utf-8\"")] // the framework's own reading fails on the quotes
    public async Task A_charset_other_than_utf8_is_415(string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/typed") { Content = new ByteArrayContent("{\"name\":\"x\"}"u8.ToArray()) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await host.Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await response.ProblemCodeAsync()).ShouldBe("unsupported_media_type");
    }

    [Fact]
    public async Task Utf8_is_accepted_however_it_is_spelled()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/typed") { Content = new ByteArrayContent("{\"name\":\"x\"}"u8.ToArray()) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=UTF-8");

        (await host.Client.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/api/items/x?from=0001-01-01", "from")]
    [InlineData("/api/items/x?from=9999-12-31T00:00:00Z", "from")]
    [InlineData("/api/items/x?q=a%00b", "q")]
    [InlineData("/api/items/a%01b", "name")]
    [InlineData("/api/items/1999-12-31", "name")]
    public async Task Query_and_route_values_follow_the_same_rules(string url, string field)
    {
        var errors = await ErrorsAsync(await host.Client.GetAsync(url));

        errors.TryGetProperty(field, out _).ShouldBeTrue(errors.ToString());
    }

    [Theory]
    [InlineData("""{"name":"x","until":"9999-12-31"}""")]
    [InlineData("""{"name":"x","until":"0001-01-01T00:00:00Z"}""")]
    [InlineData("""{"name":"x","until":"1999-12-31T23:59:59+00:00"}""")]
    public async Task Dates_in_a_body_must_be_within_the_platforms_range(string json)
    {
        var errors = await ErrorsAsync(await host.Client.PostAsync("/api/typed", Json(json)));

        errors.TryGetProperty("until", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Dates_inside_the_range_pass()
    {
        (await host.Client.GetAsync("/api/items/x?from=2026-01-01")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await host.Client.PostAsync("/api/typed", Json("""{"name":"x","until":"2099-12-31T00:00:00Z"}"""))).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Api_answers_are_not_stored_unless_the_endpoint_says_so()
    {
        var item = await host.Client.GetAsync("/api/items/x");
        var problem = await host.Client.GetAsync("/api/items/x?from=0001-01-01");
        var cacheable = await host.Client.GetAsync("/api/cacheable");

        item.Headers.CacheControl!.NoStore.ShouldBeTrue();
        problem.Headers.CacheControl!.NoStore.ShouldBeTrue();
        cacheable.Headers.CacheControl!.NoStore.ShouldBeFalse();
        cacheable.Headers.CacheControl.MaxAge.ShouldBe(TimeSpan.FromSeconds(60));
    }
}

public sealed class InputRulesTests
{
    [Theory]
    [InlineData("laptop", false)]
    [InlineData("我的电脑 🚀", false)]
    [InlineData("evil\u202Etxt.exe", true)]
    [InlineData("iso\u2066late", true)]
    [InlineData("c1\u0085", true)]
    [InlineData("tab\tname", true)]
    [InlineData("nul\0", true)]
    public void Names_refuse_controls_and_bidi_overrides(string name, bool refused) =>
        InputRules.HasControlOrBidiCharacters(name).ShouldBe(refused);

    [Theory]
    [InlineData(int.MaxValue, 50, true)]
    [InlineData(42949673, 50, true)]
    [InlineData(42949672, 50, false)]
    [InlineData(1, 50, false)]
    public void Pages_whose_offset_overflows_are_refused(int page, int pageSize, bool refused) =>
        (Paging.Check(page, pageSize) is not null).ShouldBe(refused);
}
