using System.Text.Json;

namespace Derp.Distribution.FunctionalTests.Storefront;

/// <summary>api cards against a real HTTP endpoint on a loopback port (allowed here by Distribution:Storefront:AllowPrivateApiTargets).</summary>
public sealed class StorefrontApiCardTests(StorefrontApiFactory factory) : IClassFixture<StorefrontApiFactory>, IAsyncLifetime
{
    private ApiStandIn _shop = null!;

    public async ValueTask InitializeAsync() => _shop = await ApiStandIn.StartAsync();

    public async ValueTask DisposeAsync() => await _shop.DisposeAsync();

    private string Url(string pathAndQuery) => new Uri(_shop.BaseUrl, pathAndQuery).ToString();

    [Fact]
    public async Task An_api_card_delivers_the_response_field_with_placeholders_in_the_url_and_body()
    {
        var owner = await factory.NewOwnerAsync();
        var get = await owner.CardAsync(new
        {
            name = "接口卡", type = "api",
            api = new { url = Url("/code?order={ORDER_ID}&buyer={BUYER_ID}"), method = "GET", timeoutSeconds = 5, retries = 0, responseField = "data.code" },
        });
        var post = await owner.CardAsync(new
        {
            name = "接口卡POST", type = "api", template = "码：{DELIVERY_CONTENT}",
            api = new
            {
                url = Url("/code"), method = "POST", body = "{\"order\": \"{ORDER_ID}\"}", headers = new Dictionary<string, string> { ["X-Shop"] = "xy-{BUYER_ID}" },
                timeoutSeconds = 5, retries = 0, responseField = "data.code",
            },
        });

        var viaGet = await owner.DeliverAsync(new { channel = "c", externalOrderId = "O 1/2", itemId = get, buyerId = "买家", quantity = 2 });
        var viaPost = await owner.DeliverAsync(new { channel = "c", externalOrderId = "P\"1", itemId = post, buyerId = "b", quantity = 1 });

        viaGet.Status().ShouldBe("delivered");
        viaGet.Items().ShouldBe(["API-O 1/2-买家", "API-O 1/2-买家"]);
        viaPost.Items().ShouldBe(["码：POST-P\"1-xy-b"]);
    }

    [Fact]
    public async Task A_call_that_times_out_is_retried()
    {
        var owner = await factory.NewOwnerAsync();
        var card = await owner.CardAsync(new
        {
            name = "慢接口", type = "api",
            api = new { url = Url("/slow-once?order={ORDER_ID}"), timeoutSeconds = 1, retries = 1, responseField = "code" },
        });

        var answer = await owner.DeliverAsync(new { channel = "c", externalOrderId = "SLOW1", itemId = card, quantity = 1 });

        answer.Items().ShouldBe(["LATE-SLOW1"]);
        _shop.Calls("/slow-once", "SLOW1").ShouldBe(2);
    }

    [Fact]
    public async Task A_failing_endpoint_is_tried_retries_plus_one_times_then_the_delivery_fails()
    {
        var owner = await factory.NewOwnerAsync();
        var card = await owner.CardAsync(new
        {
            name = "坏接口", type = "api",
            api = new { url = Url("/broken?order={ORDER_ID}"), timeoutSeconds = 2, retries = 2, responseField = "code" },
        });

        var answer = await owner.DeliverAsync(new { channel = "c", externalOrderId = "BROKEN1", itemId = card, quantity = 1 });

        answer.Status().ShouldBe("failed");
        answer.Reason().ShouldBe("api_failed");
        _shop.Calls("/broken", "BROKEN1").ShouldBe(3);
    }
}

/// <summary>With the production default, api cards may not call loopback or private addresses (SSRF).</summary>
public sealed class StorefrontApiCardGuardTests(StorefrontGuardedFactory factory) : IClassFixture<StorefrontGuardedFactory>, IAsyncLifetime
{
    private ApiStandIn _shop = null!;

    public async ValueTask InitializeAsync() => _shop = await ApiStandIn.StartAsync();

    public async ValueTask DisposeAsync() => await _shop.DisposeAsync();

    [Fact]
    public async Task A_loopback_target_is_refused_without_calling_it()
    {
        var owner = await factory.NewOwnerAsync();
        var card = await owner.CardAsync(new
        {
            name = "内网", type = "api",
            api = new { url = new Uri(_shop.BaseUrl, "/code?order={ORDER_ID}").ToString(), timeoutSeconds = 2, retries = 2, responseField = "data.code" },
        });
        var byName = await owner.CardAsync(new
        {
            name = "内网名", type = "api",
            api = new { url = $"http://localhost:{_shop.BaseUrl.Port}/code?order={{ORDER_ID}}", timeoutSeconds = 2, retries = 0, responseField = "data.code" },
        });

        var answer = await owner.DeliverAsync(new { channel = "c", externalOrderId = "SSRF1", itemId = card, quantity = 1 });
        var answerByName = await owner.DeliverAsync(new { channel = "c", externalOrderId = "SSRF2", itemId = byName, quantity = 1 });

        answer.Reason().ShouldBe("api_failed");
        answerByName.Reason().ShouldBe("api_failed");
        _shop.Calls("/code", "SSRF1").ShouldBe(0);
        _shop.Calls("/code", "SSRF2").ShouldBe(0);
    }
}

public sealed class StorefrontGuardedFactory : StorefrontApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [];
}
