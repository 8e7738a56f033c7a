using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Derp.Finance.Tests.Payments;
using Derp.TestSupport;

namespace Derp.Finance.FunctionalTests;

/// <summary>A finance instance with both providers enabled, configured with keys the tests own.</summary>
public sealed class ProvidersFinanceApiFactory : FinanceApiFactory
{
    public AlipayTestSigner Alipay { get; } = new();
    public WeChatPayTestSigner WeChat { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        .. base.Settings(),
        new("Finance:Providers:Alipay:Enabled", "true"),
        new("Finance:Providers:Alipay:AppId", AlipayTestSigner.AppId),
        new("Finance:Providers:Alipay:PublicKey", Alipay.PublicKeyBase64),
        new("Finance:Providers:WeChatPay:Enabled", "true"),
        new("Finance:Providers:WeChatPay:MchId", WeChatPayTestSigner.MchId),
        new("Finance:Providers:WeChatPay:AppId", WeChatPayTestSigner.AppId),
        new("Finance:Providers:WeChatPay:ApiV3Key", WeChat.ApiV3Key),
        new("Finance:Providers:WeChatPay:PlatformKeys:0:Serial", WeChatPayTestSigner.Serial),
        new("Finance:Providers:WeChatPay:PlatformKeys:0:PublicKeyPem", WeChat.PlatformPublicKeyPem),
    ];

    public Task<HttpResponseMessage> PostAlipayAsync(string formBody) =>
        CreateClient().PostAsync("/api/finance/notify/alipay",
            new StringContent(formBody, Encoding.UTF8, "application/x-www-form-urlencoded"));

    public Task<HttpResponseMessage> PostWeChatAsync(string body, IReadOnlyDictionary<string, string> headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/finance/notify/wechat")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        return CreateClient().SendAsync(request);
    }

    /// <summary>The notification counter for one provider and result (0 before its first count).</summary>
    public async Task<double> NotificationsCountedAsync(string provider, string result)
    {
        var prefix = $"derp_finance_provider_notifications_total{{provider=\"{provider}\",result=\"{result}\"}} ";
        var line = (await CreateClient().GetStringAsync("/metrics")).Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
    }
}

/// <summary>Off by default: a finance instance nobody configured answers as if there were no endpoint.</summary>
public sealed class PaymentNotificationsDisabledTests(FinanceApiFactory factory) : IClassFixture<FinanceApiFactory>
{
    [Fact]
    public async Task Both_endpoints_answer_404_provider_disabled_until_configured()
    {
        var alipay = new AlipayTestSigner();
        var alipayResponse = await factory.CreateClient().PostAsync("/api/finance/notify/alipay",
            new StringContent(alipay.SignedBody(AlipayTestSigner.PaidTrade("D1", "T1")), Encoding.UTF8, "application/x-www-form-urlencoded"));
        alipayResponse.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await alipayResponse.ProblemCodeAsync()).ShouldBe("provider_disabled");

        var wechatResponse = await factory.CreateClient().PostAsync("/api/finance/notify/wechat",
            new StringContent("""{"resource":{}}""", Encoding.UTF8, "application/json"));
        wechatResponse.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await wechatResponse.ProblemCodeAsync()).ShouldBe("provider_disabled");
    }
}

/// <summary>
/// Refusals through the real endpoints: forged, tampered and replayed notifications never reach an order. What an
/// accepted notification does to an order is in <see cref="PaymentNotificationsEndToEndTests"/>.
/// </summary>
public sealed class PaymentNotificationsTests(ProvidersFinanceApiFactory factory) : IClassFixture<ProvidersFinanceApiFactory>
{
    private static async Task ShouldBeWeChatFailureAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.ShouldBe(status);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("code").GetString().ShouldBe("FAIL");
        body.GetProperty("message").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task A_forged_Alipay_notification_is_answered_failure_and_counted()
    {
        var before = await factory.NotificationsCountedAsync("alipay", "signature_invalid");
        using var forger = System.Security.Cryptography.RSA.Create(2048);

        var response = await factory.PostAlipayAsync(factory.Alipay.SignedBody(AlipayTestSigner.PaidTrade("D-FORGED", "T-FORGED"), signWith: forger));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldBe("failure");
        (await factory.NotificationsCountedAsync("alipay", "signature_invalid")).ShouldBeGreaterThan(before);
    }

    [Fact]
    public async Task A_tampered_Alipay_notification_is_answered_failure()
    {
        var body = factory.Alipay.SignedBody(AlipayTestSigner.PaidTrade("D-TAMPERED", "T-TAMPERED", totalAmount: "0.01"))
            .Replace("total_amount=0.01", "total_amount=30.00", StringComparison.Ordinal);

        var response = await factory.PostAlipayAsync(body);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldBe("failure");
    }

    [Fact]
    public async Task A_genuine_Alipay_notification_of_an_unpaid_trade_is_acknowledged_so_Alipay_stops()
    {
        var before = await factory.NotificationsCountedAsync("alipay", "ignored");

        var response = await factory.PostAlipayAsync(factory.Alipay.SignedBody(AlipayTestSigner.PaidTrade("D-WAIT", "T-WAIT", tradeStatus: "WAIT_BUYER_PAY")));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("success");
        (await factory.NotificationsCountedAsync("alipay", "ignored")).ShouldBeGreaterThan(before);
    }

    [Fact]
    public async Task Alipay_garbage_is_answered_failure_not_a_server_error()
    {
        var response = await factory.PostAlipayAsync("%%%&&sign=&=");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldBe("failure");
    }

    [Fact]
    public async Task A_forged_WeChat_Pay_notification_is_refused_and_counted()
    {
        var before = await factory.NotificationsCountedAsync("wechat", "signature_invalid");
        using var forger = System.Security.Cryptography.RSA.Create(2048);
        var body = factory.WeChat.Body(WeChatPayTestSigner.Transaction("D-FORGED", "W-FORGED"));

        var response = await factory.PostWeChatAsync(body, factory.WeChat.Headers(body, factory.Clock.GetUtcNow(), signWith: forger));

        await ShouldBeWeChatFailureAsync(response, HttpStatusCode.Unauthorized);
        (await factory.NotificationsCountedAsync("wechat", "signature_invalid")).ShouldBeGreaterThan(before);
    }

    [Fact]
    public async Task A_WeChat_Pay_notification_replayed_after_5_minutes_is_refused()
    {
        var body = factory.WeChat.Body(WeChatPayTestSigner.Transaction("D-REPLAY", "W-REPLAY"));
        var headers = factory.WeChat.Headers(body, factory.Clock.GetUtcNow().AddMinutes(-6));
        var before = await factory.NotificationsCountedAsync("wechat", "notification_replayed");

        var response = await factory.PostWeChatAsync(body, headers);

        await ShouldBeWeChatFailureAsync(response, HttpStatusCode.Unauthorized);
        (await factory.NotificationsCountedAsync("wechat", "notification_replayed")).ShouldBeGreaterThan(before);
    }

    [Fact]
    public async Task A_WeChat_Pay_notification_from_an_unknown_serial_is_refused()
    {
        var body = factory.WeChat.Body(WeChatPayTestSigner.Transaction("D-SERIAL", "W-SERIAL"));
        var response = await factory.PostWeChatAsync(body, factory.WeChat.Headers(body, factory.Clock.GetUtcNow(), serial: "0000000000000000000000000000000000000000"));
        await ShouldBeWeChatFailureAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_WeChat_Pay_notification_whose_ciphertext_was_altered_is_refused()
    {
        var body = factory.WeChat.Body(WeChatPayTestSigner.Transaction("D-TAG", "W-TAG"), flipTag: true);
        var response = await factory.PostWeChatAsync(body, factory.WeChat.Headers(body, factory.Clock.GetUtcNow()));
        await ShouldBeWeChatFailureAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task WeChat_Pay_garbage_without_headers_is_refused_not_a_server_error()
    {
        var response = await factory.PostWeChatAsync("""{"resource":"nothing"}""", new Dictionary<string, string>());
        await ShouldBeWeChatFailureAsync(response, HttpStatusCode.BadRequest);
    }
}
