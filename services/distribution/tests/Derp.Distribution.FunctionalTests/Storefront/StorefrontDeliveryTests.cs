using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Derp.Distribution.FunctionalTests.Storefront;

public sealed class StorefrontDeliveryTests(StorefrontApiFactory factory) : IClassFixture<StorefrontApiFactory>
{
    private static string OrderId() => "XY" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task The_same_order_five_times_at_once_is_delivered_once_with_the_same_content()
    {
        var owner = await factory.NewOwnerAsync();
        var card = await owner.DataCardAsync("月卡", 10);
        await owner.RuleAsync("月卡", card);
        var order = new { channel = "xianyu", externalOrderId = OrderId(), itemTitle = "DERP 月卡 自动发货", quantity = 1, buyerId = "tb_buyer" };

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => owner.DeliverAsync(order)));

        answers.Select(a => a.GetProperty("id").GetGuid()).Distinct().Count().ShouldBe(1);
        answers.ShouldAllBe(a => a.Status() == "delivered");
        answers.Select(a => string.Join("|", a.Items())).Distinct().Count().ShouldBe(1);
        answers[0].Items().Length.ShouldBe(1);
        (await owner.AvailableAsync(card)).ShouldBe(9);
        var retried = await owner.DeliverAsync(order);
        retried.Items().ShouldBe(answers[0].Items());
        (await owner.AvailableAsync(card)).ShouldBe(9);
    }

    [Fact]
    public async Task Quantity_n_delivers_n_distinct_items_and_too_few_in_stock_delivers_none()
    {
        var owner = await factory.NewOwnerAsync();
        var card = await owner.DataCardAsync("季卡", 5);

        var three = await owner.DeliverAsync(new { channel = "xianyu", externalOrderId = OrderId(), itemId = card, quantity = 3 });
        var tooMany = await owner.DeliverAsync(new { channel = "xianyu", externalOrderId = OrderId(), itemId = card, quantity = 3 });

        three.Status().ShouldBe("delivered");
        three.Items().Distinct().Count().ShouldBe(3);
        tooMany.Status().ShouldBe("failed");
        tooMany.Reason().ShouldBe("out_of_stock");
        tooMany.Items().ShouldBeEmpty();
        (await owner.AvailableAsync(card)).ShouldBe(2); // nothing consumed by the failed order
    }

    [Fact]
    public async Task Ten_orders_at_once_on_a_pool_of_five_deliver_five_lines_once_each()
    {
        var owner = await factory.NewOwnerAsync();
        var card = await owner.DataCardAsync("年卡", 5);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            owner.DeliverAsync(new { channel = "xianyu", externalOrderId = OrderId(), itemId = card, quantity = 1 })));

        var delivered = answers.Where(a => a.Status() == "delivered").ToList();
        delivered.Count.ShouldBe(5);
        answers.Where(a => a.Status() == "failed").ShouldAllBe(a => a.Reason() == "out_of_stock");
        delivered.SelectMany(a => a.Items()).Distinct().Count().ShouldBe(5);
        (await owner.AvailableAsync(card)).ShouldBe(0);
    }

    [Fact]
    public async Task Serial_cards_deliver_the_owners_valid_unredeemed_stock_of_the_plan_never_twice()
    {
        var owner = await factory.NewOwnerAsync();
        var other = await factory.NewOwnerAsync();
        var planId = Guid.NewGuid();
        var good = await factory.AddStockSerialsAsync(owner.Id, planId, 3);
        await factory.AddStockSerialsAsync(owner.Id, planId, 1, redeemedAt: factory.Clock.GetUtcNow());
        await factory.AddStockSerialsAsync(owner.Id, planId, 1, validUntil: factory.Clock.GetUtcNow().AddDays(-1));
        await factory.AddStockSerialsAsync(owner.Id, Guid.NewGuid(), 2); // another plan
        await factory.AddStockSerialsAsync(other.Id, planId, 2); // another owner's
        var card = await owner.CardAsync(new { name = "5天序列号", type = "serial", planId, template = "您的序列号：{DELIVERY_CONTENT}" });

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            owner.DeliverAsync(new { channel = "xianyu", externalOrderId = OrderId(), itemId = card, quantity = 1 })));

        var delivered = answers.Where(a => a.Status() == "delivered").SelectMany(a => a.Items()).ToList();
        delivered.Count.ShouldBe(3);
        delivered.Select(d => d.Replace("您的序列号：", "")).OrderBy(c => c).ShouldBe(good.OrderBy(c => c));
        answers.Count(a => a.Reason() == "out_of_stock").ShouldBe(2);
        var marked = await factory.WithDbAsync(db => db.StockSerials.Where(s => s.DistributorId == owner.Id && s.DeliveryId != null).CountAsync());
        marked.ShouldBe(3);
    }

    [Fact]
    public async Task A_full_width_spec_selects_the_half_width_variant_of_a_multi_spec_item()
    {
        var owner = await factory.NewOwnerAsync();
        var red = await owner.CardAsync(new { name = "T恤", type = "text", template = "红色 {ORDER_ID}", specName = "颜色", specValue = "红色" });
        await owner.CardAsync(new { name = "T恤", type = "text", template = "XL {ORDER_ID}", specName = "尺码", specValue = "XL" });
        await owner.CardAsync(new { name = "T恤", type = "text", template = "蓝色 {ORDER_ID}", specName = "颜色", specValue = "蓝色" });
        await owner.RuleAsync("T恤", red);

        var fullWidth = await owner.DeliverAsync(new { channel = "xianyu", externalOrderId = "A1", itemTitle = "纯棉 T恤", spec = "　ＸＬ　", quantity = 1 });
        var nameAndValue = await owner.DeliverAsync(new { channel = "xianyu", externalOrderId = "A2", itemTitle = "纯棉 T恤", spec = "颜色：蓝色", quantity = 1 });
        var noSpec = await owner.DeliverAsync(new { channel = "xianyu", externalOrderId = "A3", itemTitle = "纯棉 T恤", quantity = 1 });
        var unknown = await owner.DeliverAsync(new { channel = "xianyu", externalOrderId = "A4", itemTitle = "纯棉 T恤", spec = "绿色", quantity = 1 });

        fullWidth.Items().ShouldBe(["XL A1"]);
        nameAndValue.Items().ShouldBe(["蓝色 A2"]);
        noSpec.Items().ShouldBe(["红色 A3"]);
        unknown.Status().ShouldBe("failed");
        unknown.Reason().ShouldBe("no_matching_spec");
    }

    [Fact]
    public async Task Rules_map_titles_to_cards_by_priority_and_unknown_titles_fail_in_the_log()
    {
        var owner = await factory.NewOwnerAsync();
        var general = await owner.CardAsync(new { name = "通用", type = "text", template = "general" });
        var vip = await owner.CardAsync(new { name = "VIP", type = "text", template = "vip" });
        await owner.RuleAsync("DERP", general, priority: 1);
        await owner.RuleAsync("vip", vip, priority: 5);

        var both = await owner.DeliverAsync(new { channel = "xianyu", externalOrderId = OrderId(), itemTitle = "DERP ＶＩＰ 中转", quantity = 1 });
        var plain = await owner.DeliverAsync(new { channel = "xianyu", externalOrderId = OrderId(), itemTitle = "DERP 中转", quantity = 1 });
        var none = await owner.DeliverAsync(new { channel = "xianyu", externalOrderId = OrderId(), itemTitle = "别的商品", quantity = 1 });

        both.Items().ShouldBe(["vip"]);
        plain.Items().ShouldBe(["general"]);
        none.Reason().ShouldBe("no_matching_card");
        var failed = await owner.Manage.GetFromJsonAsync<JsonElement>("/api/distribution/storefront/deliveries?status=failed");
        failed.GetProperty("total").GetInt32().ShouldBe(1);
        failed.GetProperty("items")[0].GetProperty("failureReason").GetString().ShouldBe("no_matching_card");
    }

    [Fact]
    public async Task Templates_fill_every_placeholder()
    {
        var owner = await factory.NewOwnerAsync();
        var text = await owner.CardAsync(new { name = "说明", type = "text", template = "订单{ORDER_ID} 买家{BUYER_ID} 商品{ITEM_TITLE} 规格{SPEC} 数量{QUANTITY} {UNKNOWN}" });
        var data = await owner.DataCardAsync("激活码", 1, template: "激活码：{DELIVERY_CONTENT}（订单 {ORDER_ID}）");

        var textAnswer = await owner.DeliverAsync(new { channel = "xianyu", externalOrderId = "T-1", itemId = text, itemTitle = "DERP 月卡", spec = "标准版", quantity = 2, buyerId = "b42" });
        var dataAnswer = await owner.DeliverAsync(new { channel = "xianyu", externalOrderId = "T-2", itemId = data, quantity = 1 });

        textAnswer.Items().ShouldBe(["订单T-1 买家b42 商品DERP 月卡 规格标准版 数量2 {UNKNOWN}", "订单T-1 买家b42 商品DERP 月卡 规格标准版 数量2 {UNKNOWN}"]);
        dataAnswer.Items().ShouldBe(["激活码：激活码-LINE-001（订单 T-2）"]);
    }

    [Fact]
    public async Task A_dry_run_shows_the_content_without_consuming_it()
    {
        var owner = await factory.NewOwnerAsync();
        var card = await owner.DataCardAsync("周卡", 2);
        await owner.RuleAsync("周卡", card);

        var dry = await owner.Manage.PostAsJsonAsync("/api/distribution/storefront/dry-run", new { itemTitle = "周卡", quantity = 2 });
        var tooMany = await owner.Manage.PostAsJsonAsync("/api/distribution/storefront/dry-run", new { itemTitle = "周卡", quantity = 3 });

        var body = await dry.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("cardId").GetGuid().ShouldBe(card);
        body.Items().ShouldBe(["周卡-LINE-001", "周卡-LINE-002"]);
        (await tooMany.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("failureReason").GetString().ShouldBe("out_of_stock");
        (await owner.AvailableAsync(card)).ShouldBe(2);
    }

    [Fact]
    public async Task Low_stock_opens_one_alert_per_card_and_new_lines_resolve_it()
    {
        var owner = await factory.NewOwnerAsync();
        var card = await owner.DataCardAsync("半年卡", 4, lowStockThreshold: 3);

        await owner.DeliverAsync(new { channel = "c", externalOrderId = OrderId(), itemId = card, quantity = 2 });
        await owner.DeliverAsync(new { channel = "c", externalOrderId = OrderId(), itemId = card, quantity = 1 });
        var open = await owner.Manage.GetFromJsonAsync<JsonElement>("/api/distribution/storefront/alerts");
        await owner.LinesAsync(card, "N1", "N2", "N3");
        var after = await owner.Manage.GetFromJsonAsync<JsonElement>("/api/distribution/storefront/alerts");

        open.GetArrayLength().ShouldBe(1);
        open[0].GetProperty("cardId").GetGuid().ShouldBe(card);
        open[0].GetProperty("remaining").GetInt32().ShouldBe(1);
        after.GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Serial_stock_below_the_threshold_raises_an_alert_and_a_disabled_card_delivers_nothing()
    {
        var owner = await factory.NewOwnerAsync();
        var planId = Guid.NewGuid();
        await factory.AddStockSerialsAsync(owner.Id, planId, 2);
        var card = await owner.CardAsync(new { name = "序列号", type = "serial", planId, lowStockThreshold = 2 });
        var disabled = await owner.CardAsync(new { name = "停用", type = "text", template = "x", enabled = false });

        var before = await owner.Manage.GetFromJsonAsync<JsonElement>("/api/distribution/storefront/alerts");
        await owner.DeliverAsync(new { channel = "c", externalOrderId = OrderId(), itemId = card, quantity = 1 });
        var after = await owner.Manage.GetFromJsonAsync<JsonElement>("/api/distribution/storefront/alerts");
        var off = await owner.DeliverAsync(new { channel = "c", externalOrderId = OrderId(), itemId = disabled, quantity = 1 });

        before.GetArrayLength().ShouldBe(0);
        after.GetArrayLength().ShouldBe(1);
        after[0].GetProperty("remaining").GetInt32().ShouldBe(1);
        after[0].GetProperty("cardName").GetString().ShouldBe("序列号");
        off.Reason().ShouldBe("card_disabled");
    }

    [Fact]
    public async Task A_revoked_key_is_refused_and_missing_or_wrong_keys_get_401()
    {
        var owner = await factory.NewOwnerAsync();
        var card = await owner.CardAsync(new { name = "文本", type = "text", template = "hi" });
        var headerBot = factory.Bot(owner.Key, asHeader: true, clientAddress: "198.51.100.7");

        (await headerBot.PostAsJsonAsync("/api/storefront/deliveries", new { channel = "c", externalOrderId = "K1", itemId = card, quantity = 1 }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await owner.Manage.DeleteAsync($"/api/distribution/storefront/keys/{owner.KeyId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var afterRevoke = await owner.Bot.PostAsJsonAsync("/api/storefront/deliveries", new { channel = "c", externalOrderId = "K2", itemId = card, quantity = 1 });
        var noKey = await factory.CreateClient().PostAsJsonAsync("/api/storefront/deliveries", new { channel = "c", externalOrderId = "K3", itemId = card, quantity = 1 });

        afterRevoke.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await afterRevoke.ProblemCodeAsync()).ShouldBe("invalid_api_key");
        noKey.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var keys = await owner.Manage.GetFromJsonAsync<JsonElement>("/api/distribution/storefront/keys");
        keys[0].GetProperty("revokedAt").ValueKind.ShouldBe(JsonValueKind.String);
        keys[0].TryGetProperty("key", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Failed_key_attempts_from_one_address_are_rate_limited()
    {
        var owner = await factory.NewOwnerAsync();
        var address = $"198.51.100.{Random.Shared.Next(20, 250)}";
        var wrong = factory.Bot("sfk_000000000000_wrong", clientAddress: address);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
            statuses.Add((await wrong.GetAsync($"/api/storefront/deliveries/{Guid.NewGuid()}")).StatusCode);
        var rightKeySameAddress = await factory.Bot(owner.Key, clientAddress: address).GetAsync($"/api/storefront/deliveries/{Guid.NewGuid()}");
        var rightKeyElsewhere = await factory.Bot(owner.Key, clientAddress: "192.0.2.1").GetAsync($"/api/storefront/deliveries/{Guid.NewGuid()}");

        statuses.Take(5).ShouldAllBe(s => s == HttpStatusCode.Unauthorized);
        statuses[5].ShouldBe(HttpStatusCode.TooManyRequests);
        rightKeySameAddress.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await rightKeySameAddress.ProblemCodeAsync()).ShouldBe("api_key_attempts_exceeded");
        rightKeyElsewhere.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task One_owner_never_sees_or_uses_another_owners_cards_keys_stock_or_deliveries()
    {
        var alice = await factory.NewOwnerAsync();
        var bob = await factory.NewOwnerAsync();
        var aliceCard = await alice.DataCardAsync("Alice卡", 3);
        var aliceDelivery = (await alice.DeliverAsync(new { channel = "c", externalOrderId = "SAME", itemId = aliceCard, quantity = 1 })).GetProperty("id").GetGuid();

        var bobUsesAliceCard = await bob.DeliverAsync(new { channel = "c", externalOrderId = "SAME", itemId = aliceCard, quantity = 1 });
        bobUsesAliceCard.Reason().ShouldBe("no_matching_card"); // same order id, different owner: a different delivery
        (await bob.Bot.GetAsync($"/api/storefront/deliveries/{aliceDelivery}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await bob.Manage.GetAsync($"/api/distribution/storefront/deliveries/{aliceDelivery}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await bob.Manage.GetAsync($"/api/distribution/storefront/cards/{aliceCard}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await bob.Manage.GetAsync($"/api/distribution/storefront/cards/{aliceCard}/lines")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await bob.Manage.PutAsJsonAsync($"/api/distribution/storefront/cards/{aliceCard}", new { name = "x", type = "text", template = "x" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await bob.Manage.PostAsJsonAsync($"/api/distribution/storefront/cards/{aliceCard}/lines", new { lines = new[] { "evil" } })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await bob.Manage.PostAsJsonAsync("/api/distribution/storefront/rules", new { keyword = "x", cardId = aliceCard })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await bob.Manage.DeleteAsync($"/api/distribution/storefront/keys/{alice.KeyId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await bob.Manage.DeleteAsync($"/api/distribution/storefront/cards/{aliceCard}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var bobDryRun = await bob.Manage.PostAsJsonAsync("/api/distribution/storefront/dry-run", new { itemId = aliceCard, quantity = 1 });
        (await bobDryRun.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("failureReason").GetString().ShouldBe("no_matching_card");

        (await bob.Manage.GetFromJsonAsync<JsonElement>("/api/distribution/storefront/cards")).GetArrayLength().ShouldBe(0);
        (await bob.Manage.GetFromJsonAsync<JsonElement>("/api/distribution/storefront/keys")).GetArrayLength().ShouldBe(1);
        var bobLog = await bob.Manage.GetFromJsonAsync<JsonElement>("/api/distribution/storefront/deliveries");
        bobLog.GetProperty("total").GetInt32().ShouldBe(1);
        (await alice.AvailableAsync(aliceCard)).ShouldBe(2);
        (await alice.Manage.GetFromJsonAsync<JsonElement>("/api/distribution/storefront/keys")).GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Admins_own_a_storefront_as_themselves_and_renters_cannot()
    {
        var admin = factory.Admin();
        var renter = factory.Renter(Guid.NewGuid());

        (await admin.PostAsJsonAsync("/api/distribution/storefront/cards", new { name = "管理员卡", type = "text", template = "x" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await admin.GetFromJsonAsync<JsonElement>("/api/distribution/storefront/cards")).GetArrayLength().ShouldBe(1);
        (await renter.GetAsync("/api/distribution/storefront/cards")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await factory.CreateClient().GetAsync("/api/distribution/storefront/cards")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Bad_input_gets_problems_with_codes_never_500()
    {
        var owner = await factory.NewOwnerAsync();
        var card = await owner.CardAsync(new { name = "ok", type = "text", template = "x" });
        async Task Expect(HttpResponseMessage response, HttpStatusCode status, string code)
        {
            response.StatusCode.ShouldBe(status, await response.Content.ReadAsStringAsync());
            (await response.ProblemCodeAsync()).ShouldBe(code);
        }
        HttpContent Raw(string json) => new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        const string cards = "/api/distribution/storefront/cards";

        await Expect(await owner.Manage.PostAsJsonAsync(cards, new { name = "", type = "coupon" }), HttpStatusCode.BadRequest, "validation_failed");
        await Expect(await owner.Manage.PostAsJsonAsync(cards, new { name = "s", type = "serial" }), HttpStatusCode.BadRequest, "validation_failed");
        await Expect(await owner.Manage.PostAsJsonAsync(cards, new { name = "a", type = "api", api = new { url = "file:///etc/passwd", timeoutSeconds = 5 } }), HttpStatusCode.BadRequest, "validation_failed");
        await Expect(await owner.Manage.PostAsJsonAsync(cards, new { name = "a", type = "api", api = new { url = "https://shop.example/x", timeoutSeconds = 500, retries = 99 } }), HttpStatusCode.BadRequest, "validation_failed");
        await Expect(await owner.Manage.PostAsJsonAsync(cards, new { name = "t", type = "text", template = "x", delaySeconds = -1 }), HttpStatusCode.BadRequest, "validation_failed");
        await Expect(await owner.Manage.PostAsync(cards, Raw("{\"name\": \"a\", \"type\": \"api\", \"api\": {\"url\": \"https://shop.example/x\", \"timeoutSeconds\": 5, \"headers\": {\"X-A\": null}}}")),
            HttpStatusCode.BadRequest, "validation_failed");
        await Expect(await owner.Manage.PostAsync(cards, Raw("{\"name\": ")), HttpStatusCode.BadRequest, "malformed_json");
        await Expect(await owner.Manage.PostAsync(cards, Raw("{\"name\": \"x\", \"delaySeconds\": \"soon\"}")), HttpStatusCode.BadRequest, "malformed_json");
        await Expect(await owner.Manage.PostAsJsonAsync($"{cards}/{card}/lines", new { lines = new[] { "x" } }), HttpStatusCode.Conflict, "card_type_mismatch");
        await Expect(await owner.Manage.PostAsJsonAsync($"{cards}/{Guid.NewGuid()}/lines", new { lines = new[] { "x" } }), HttpStatusCode.NotFound, "card_not_found");
        await Expect(await owner.Manage.PostAsJsonAsync("/api/distribution/storefront/keys", new { name = " " }), HttpStatusCode.BadRequest, "validation_failed");
        await Expect(await owner.Manage.PostAsJsonAsync("/api/distribution/storefront/rules", new { keyword = "", cardId = card }), HttpStatusCode.BadRequest, "validation_failed");
        await Expect(await owner.Manage.GetAsync("/api/distribution/storefront/deliveries?status=lost"), HttpStatusCode.BadRequest, "validation_failed");
        await Expect(await owner.Manage.GetAsync("/api/distribution/storefront/deliveries?pageSize=0"), HttpStatusCode.BadRequest, "validation_failed");
        await Expect(await owner.Manage.PostAsJsonAsync("/api/distribution/storefront/dry-run", new { quantity = 1 }), HttpStatusCode.BadRequest, "validation_failed");

        const string deliveries = "/api/storefront/deliveries";
        await Expect(await owner.Bot.PostAsJsonAsync(deliveries, new { channel = "c", externalOrderId = "B1", itemId = card, quantity = 0 }), HttpStatusCode.BadRequest, "validation_failed");
        await Expect(await owner.Bot.PostAsJsonAsync(deliveries, new { channel = "c", externalOrderId = "B1", itemId = card, quantity = 100000 }), HttpStatusCode.BadRequest, "validation_failed");
        await Expect(await owner.Bot.PostAsJsonAsync(deliveries, new { channel = "", externalOrderId = "", quantity = 1 }), HttpStatusCode.BadRequest, "validation_failed");
        await Expect(await owner.Bot.PostAsJsonAsync(deliveries, new { channel = "c", externalOrderId = new string('x', 500), itemId = card }), HttpStatusCode.BadRequest, "validation_failed");
        await Expect(await owner.Bot.PostAsync(deliveries, Raw("[1,2")), HttpStatusCode.BadRequest, "malformed_json");
        await Expect(await owner.Bot.GetAsync($"{deliveries}/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "delivery_not_found");
    }
}
