using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Derp.Contracts.Finance;
using Derp.Finance.Api.Services.Payments;
using Derp.Finance.Tests.Payments;
using Microsoft.Extensions.Options;

namespace Derp.Finance.UnitTests;

public sealed class PaymentsWeChatPayTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 3, 0, 10, TimeSpan.Zero);

    private readonly WeChatPayTestSigner _wechat = new();
    private readonly FixedClock _clock = new(Now);


    private WeChatPayProvider Provider() => new(Options.Create(new WeChatPayOptions
    {
        Enabled = true,
        MchId = WeChatPayTestSigner.MchId,
        AppId = WeChatPayTestSigner.AppId,
        ApiV3Key = _wechat.ApiV3Key,
        PlatformKeys = [new() { Serial = WeChatPayTestSigner.Serial, PublicKeyPem = _wechat.PlatformPublicKeyPem }],
    }), _clock);

    private NotificationVerdict Verify(string body, Dictionary<string, string>? headers = null) =>
        Provider().Verify(new ProviderNotification(Encoding.UTF8.GetBytes(body), headers ?? _wechat.Headers(body, Now)));

    private static NotificationRefusal Refusal(NotificationVerdict verdict) =>
        verdict.ShouldBeOfType<NotificationVerdict.Refused>().Refusal;

    private string GoodBody() => _wechat.Body(WeChatPayTestSigner.Transaction("D20261123ABCD", "4200001234202611230000000001", totalFen: 3000));

    [Fact]
    public void A_signed_encrypted_notification_is_a_payment_for_our_order()
    {
        var payment = Verify(GoodBody()).ShouldBeOfType<NotificationVerdict.Verified>().Payment;

        payment.ShouldBe(new VerifiedPayment("D20261123ABCD", "4200001234202611230000000001", 3000, Currencies.Cny,
            new DateTimeOffset(2026, 11, 23, 3, 0, 5, TimeSpan.Zero)));
    }

    [Fact]
    public void The_platform_key_may_be_a_certificate()
    {
        var request = new CertificateRequest("CN=Tenpay.com Root CA", _wechat.PlatformKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(Now.AddDays(-1), Now.AddYears(5));
        var provider = new WeChatPayProvider(Options.Create(new WeChatPayOptions
        {
            Enabled = true, MchId = WeChatPayTestSigner.MchId, AppId = WeChatPayTestSigner.AppId, ApiV3Key = _wechat.ApiV3Key,
            PlatformKeys = [new() { Serial = WeChatPayTestSigner.Serial, PublicKeyPem = certificate.ExportCertificatePem() }],
        }), _clock);
        var body = GoodBody();

        provider.Verify(new ProviderNotification(Encoding.UTF8.GetBytes(body), _wechat.Headers(body, Now)))
            .ShouldBeOfType<NotificationVerdict.Verified>();
    }

    [Fact]
    public void A_serial_that_names_no_configured_key_is_refused()
    {
        var body = GoodBody();
        Refusal(Verify(body, _wechat.Headers(body, Now, serial: "7132D72A03E93CDDF8C03BBD1F37EEDF9D6EB0C5"))).Code.ShouldBe("signature_invalid");
    }

    [Fact]
    public void A_notification_signed_by_another_key_is_refused()
    {
        using var forger = RSA.Create(2048);
        var body = GoodBody();
        Refusal(Verify(body, _wechat.Headers(body, Now, signWith: forger))).Code.ShouldBe("signature_invalid");
    }

    [Fact]
    public void A_body_changed_after_signing_is_refused()
    {
        var body = GoodBody();
        var headers = _wechat.Headers(body, Now);
        var tampered = body.Replace("TRANSACTION.SUCCESS", "TRANSACTION.SUCCESS ", StringComparison.Ordinal);
        tampered.ShouldNotBe(body);

        Refusal(Verify(tampered, headers)).Code.ShouldBe("signature_invalid");
    }

    [Theory]
    [InlineData(-6 * 60)]
    [InlineData(6 * 60)]
    [InlineData(-301)]
    public void A_timestamp_more_than_5_minutes_from_now_is_a_replay_even_with_a_good_signature(int secondsFromNow)
    {
        var body = GoodBody();
        var verdict = Verify(body, _wechat.Headers(body, Now.AddSeconds(secondsFromNow)));

        Refusal(verdict).ShouldSatisfyAllConditions(
            r => r.Code.ShouldBe("notification_replayed"),
            r => r.Status.ShouldBe(401));
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(-4 * 60)]
    [InlineData(30)]
    public void A_timestamp_within_5_minutes_is_accepted(int secondsFromNow)
    {
        var body = GoodBody();
        Verify(body, _wechat.Headers(body, Now.AddSeconds(secondsFromNow))).ShouldBeOfType<NotificationVerdict.Verified>();
    }

    [Fact]
    public void A_flipped_tag_is_refused()
    {
        var body = _wechat.Body(WeChatPayTestSigner.Transaction("D1", "T1"), flipTag: true);
        Refusal(Verify(body)).Code.ShouldBe("notification_undecryptable");
    }

    [Fact]
    public void Associated_data_other_than_what_was_encrypted_is_refused()
    {
        var body = _wechat.Body(WeChatPayTestSigner.Transaction("D1", "T1"), associatedData: "transaction", statedAssociatedData: "refund");
        Refusal(Verify(body)).Code.ShouldBe("notification_undecryptable");
    }

    [Fact]
    public void A_resource_encrypted_with_another_APIv3_key_is_refused()
    {
        var body = _wechat.Body(WeChatPayTestSigner.Transaction("D1", "T1"), apiV3Key: WeChatPayTestSigner.RandomText(32));
        Refusal(Verify(body)).Code.ShouldBe("notification_undecryptable");
    }

    [Fact]
    public void A_nonce_that_is_not_12_bytes_is_refused()
    {
        var body = _wechat.Body(WeChatPayTestSigner.Transaction("D1", "T1")).Replace("\"nonce\":\"", "\"nonce\":\"x", StringComparison.Ordinal);
        Refusal(Verify(body)).Code.ShouldBe("notification_undecryptable");
    }

    [Fact]
    public void A_ciphertext_shorter_than_a_tag_is_refused()
    {
        var body = """{"resource":{"algorithm":"AEAD_AES_256_GCM","ciphertext":"AAAA","nonce":"123456789012","associated_data":""}}""";
        Refusal(Verify(body)).Code.ShouldBe("notification_undecryptable");
    }

    [Fact]
    public void Another_merchant_s_payment_is_refused()
    {
        Refusal(Verify(_wechat.Body(WeChatPayTestSigner.Transaction("D1", "T1", mchId: "1900000999")))).Code.ShouldBe("provider_account_mismatch");
        Refusal(Verify(_wechat.Body(WeChatPayTestSigner.Transaction("D1", "T1", appId: "wx0000000000000000")))).Code.ShouldBe("provider_account_mismatch");
    }

    [Theory]
    [InlineData("NOTPAY")]
    [InlineData("CLOSED")]
    [InlineData("REFUND")]
    public void A_transaction_that_is_not_paid_is_acknowledged_but_not_applied(string state)
    {
        Verify(_wechat.Body(WeChatPayTestSigner.Transaction("D1", "T1", tradeState: state)))
            .ShouldBeOfType<NotificationVerdict.Ignored>().Why.ShouldContain(state);
    }

    [Theory]
    [InlineData(0, "CNY", "2026-11-23T11:00:05+08:00")]
    [InlineData(3000, "USD", "2026-11-23T11:00:05+08:00")]
    [InlineData(3000, "CNY", "2026-11-23 11:00:05")]
    [InlineData(3000, "CNY", "2026-11-23T11:00:05")]
    public void Amounts_currencies_and_times_WeChat_would_not_send_are_refused(long totalFen, string currency, string successTime)
    {
        var body = _wechat.Body(WeChatPayTestSigner.Transaction("D1", "T1", totalFen: totalFen, currency: currency, successTime: successTime));
        Refusal(Verify(body)).Code.ShouldBe("notification_malformed");
    }

    [Fact]
    public void Missing_headers_are_refused()
    {
        var body = GoodBody();
        var headers = _wechat.Headers(body, Now);
        headers.Remove("Wechatpay-Nonce");
        Refusal(Verify(body, headers)).Code.ShouldBe("notification_malformed");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"resource\":\"x\"}")]
    [InlineData("{\"resource\":{\"algorithm\":\"AES_128_CBC\"}}")]
    public void A_signed_body_that_is_not_a_notification_is_refused_not_thrown(string body) =>
        Refusal(Verify(body)).Code.ShouldBe("notification_malformed");

    [Fact]
    public void A_decrypted_resource_that_is_not_a_transaction_is_refused()
    {
        Refusal(Verify(_wechat.Body("[1,2,3]"))).Code.ShouldBe("notification_malformed");
        Refusal(Verify(_wechat.Body("not json"))).Code.ShouldBe("notification_malformed");
    }

    [Fact]
    public void The_signed_message_is_timestamp_nonce_and_the_exact_body_each_on_its_own_line()
    {
        Encoding.UTF8.GetString(WeChatPayProvider.SignedMessage("1763866810", "abc", "{\"a\": 1}"u8))
            .ShouldBe("1763866810\nabc\n{\"a\": 1}\n");
    }
}
