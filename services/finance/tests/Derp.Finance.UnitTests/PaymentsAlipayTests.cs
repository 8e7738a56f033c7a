using System.Text;
using Derp.Contracts.Finance;
using Derp.Finance.Api.Services.Payments;
using Derp.Finance.Tests.Payments;
using Microsoft.Extensions.Options;

namespace Derp.Finance.UnitTests;

public sealed class PaymentsAlipayTests
{
    private readonly AlipayTestSigner _alipay = new();


    private AlipayProvider Provider(string? publicKey = null) =>
        new(Options.Create(new AlipayOptions { Enabled = true, AppId = AlipayTestSigner.AppId, PublicKey = publicKey ?? _alipay.PublicKeyPem }));

    private static NotificationVerdict Verify(AlipayProvider provider, string body) =>
        provider.Verify(ProviderNotification.FromBody(Encoding.UTF8.GetBytes(body)));

    private static NotificationRefusal Refusal(NotificationVerdict verdict) =>
        verdict.ShouldBeOfType<NotificationVerdict.Refused>().Refusal;

    [Fact]
    public void A_notification_signed_by_Alipay_is_a_payment_for_our_order_in_fen_at_Beijing_time()
    {
        var body = _alipay.SignedBody(AlipayTestSigner.PaidTrade("D20261123ABCD", "2026112322001400001", totalAmount: "30.00", gmtPayment: "2026-11-23 11:00:05"));

        var payment = Verify(Provider(), body).ShouldBeOfType<NotificationVerdict.Verified>().Payment;

        payment.ShouldBe(new VerifiedPayment("D20261123ABCD", "2026112322001400001", 3000, Currencies.Cny,
            new DateTimeOffset(2026, 11, 23, 3, 0, 5, TimeSpan.Zero)));
        payment.ReceivedAt.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void The_key_may_be_configured_as_Alipay_shows_it_bare_base64()
    {
        var body = _alipay.SignedBody(AlipayTestSigner.PaidTrade("D1", "T1"));
        Verify(Provider(_alipay.PublicKeyBase64), body).ShouldBeOfType<NotificationVerdict.Verified>();
    }

    [Fact]
    public void The_signed_string_is_sorted_by_name_without_sign_sign_type_and_empty_values_and_with_decoded_values()
    {
        var parameters = new Dictionary<string, string>
        {
            ["total_amount"] = "30.00",
            ["sign"] = "c2lnbmF0dXJl",
            ["out_trade_no"] = "D20261123ABCD",
            ["subject"] = "Derp 30 天 & more",
            ["passback_params"] = "",
            ["app_id"] = "2021000000000001",
            ["sign_type"] = "RSA2",
            ["gmt_payment"] = "2026-11-23 11:00:05",
            ["Zeta"] = "upper case sorts before lower case",
            ["trade_no"] = "2026112322001400001",
        };

        AlipayProvider.CanonicalString(parameters).ShouldBe(
            "Zeta=upper case sorts before lower case&app_id=2021000000000001&gmt_payment=2026-11-23 11:00:05&out_trade_no=D20261123ABCD" +
            "&subject=Derp 30 天 & more&total_amount=30.00&trade_no=2026112322001400001");
    }

    [Fact]
    public void Encoded_values_and_empty_parameters_in_the_body_verify_against_what_Alipay_signed()
    {
        var trade = AlipayTestSigner.PaidTrade("D1", "T1");
        trade["body"] = "a+b=c&d 100% 续费";
        trade["passback_params"] = "";

        var body = _alipay.SignedBody(trade);

        body.ShouldContain("passback_params=&");
        Verify(Provider(), body).ShouldBeOfType<NotificationVerdict.Verified>();
    }

    [Fact]
    public void A_parameter_changed_after_signing_is_refused()
    {
        var body = _alipay.SignedBody(AlipayTestSigner.PaidTrade("D1", "T1", totalAmount: "0.01"));
        var tampered = body.Replace("total_amount=0.01", "total_amount=300.00", StringComparison.Ordinal);
        tampered.ShouldNotBe(body);

        Refusal(Verify(Provider(), tampered)).Code.ShouldBe("signature_invalid");
    }

    [Fact]
    public void A_parameter_added_after_signing_is_refused()
    {
        var body = _alipay.SignedBody(AlipayTestSigner.PaidTrade("D1", "T1"));
        Refusal(Verify(Provider(), body + "&refund_fee=30.00")).Code.ShouldBe("signature_invalid");
    }

    [Fact]
    public void A_notification_signed_by_another_key_is_refused()
    {
        using var forger = System.Security.Cryptography.RSA.Create(2048);
        var body = _alipay.SignedBody(AlipayTestSigner.PaidTrade("D1", "T1"), signWith: forger);

        Refusal(Verify(Provider(), body)).ShouldSatisfyAllConditions(
            r => r.Code.ShouldBe("signature_invalid"),
            r => r.Status.ShouldBe(401));
    }

    [Theory]
    [InlineData("sign=")]
    [InlineData("sign=not%20base64!")]
    [InlineData("sign=AAAA")]
    public void A_missing_or_broken_sign_is_refused(string sign)
    {
        var parameters = AlipayTestSigner.PaidTrade("D1", "T1");
        parameters["sign_type"] = "RSA2";
        var body = AlipayTestSigner.FormBody(parameters) + "&" + sign;

        Refusal(Verify(Provider(), body)).Code.ShouldBe("signature_invalid");
    }

    [Fact]
    public void Only_RSA2_is_accepted()
    {
        var body = _alipay.SignedBody(AlipayTestSigner.PaidTrade("D1", "T1"), signType: "RSA");
        Refusal(Verify(Provider(), body)).Code.ShouldBe("notification_malformed");
    }

    [Fact]
    public void A_notification_for_another_app_is_refused_even_when_Alipay_signed_it()
    {
        var body = _alipay.SignedBody(AlipayTestSigner.PaidTrade("D1", "T1", appId: "2021000000000999"));

        Refusal(Verify(Provider(), body)).ShouldSatisfyAllConditions(
            r => r.Code.ShouldBe("provider_account_mismatch"),
            r => r.Status.ShouldBe(403));
    }

    [Theory]
    [InlineData("WAIT_BUYER_PAY")]
    [InlineData("TRADE_CLOSED")]
    public void A_trade_that_is_not_paid_is_acknowledged_but_not_applied(string status)
    {
        var body = _alipay.SignedBody(AlipayTestSigner.PaidTrade("D1", "T1", tradeStatus: status));
        Verify(Provider(), body).ShouldBeOfType<NotificationVerdict.Ignored>().Why.ShouldContain(status);
    }

    [Fact]
    public void A_finished_trade_is_a_payment_too()
    {
        var body = _alipay.SignedBody(AlipayTestSigner.PaidTrade("D1", "T1", tradeStatus: "TRADE_FINISHED"));
        Verify(Provider(), body).ShouldBeOfType<NotificationVerdict.Verified>().Payment.Reference.ShouldBe("T1");
    }

    [Theory]
    [InlineData("30.1", 3010)]
    [InlineData("0.01", 1)]
    [InlineData("280", 28000)]
    public void The_total_amount_becomes_exact_fen(string totalAmount, long fen)
    {
        var body = _alipay.SignedBody(AlipayTestSigner.PaidTrade("D1", "T1", totalAmount: totalAmount));
        Verify(Provider(), body).ShouldBeOfType<NotificationVerdict.Verified>().Payment.AmountCents.ShouldBe(fen);
    }

    [Theory]
    [InlineData("30.001")]
    [InlineData("0.00")]
    [InlineData("-30.00")]
    public void A_total_amount_that_is_not_a_positive_fen_amount_is_refused(string totalAmount)
    {
        var body = _alipay.SignedBody(AlipayTestSigner.PaidTrade("D1", "T1", totalAmount: totalAmount));
        Refusal(Verify(Provider(), body)).Code.ShouldBe("notification_malformed");
    }

    [Fact]
    public void A_payment_time_that_is_not_Alipay_s_format_is_refused()
    {
        var body = _alipay.SignedBody(AlipayTestSigner.PaidTrade("D1", "T1", gmtPayment: "2026-11-23T11:00:05Z"));
        Refusal(Verify(Provider(), body)).Code.ShouldBe("notification_malformed");
    }

    [Fact]
    public void A_parameter_sent_twice_is_refused()
    {
        var body = _alipay.SignedBody(AlipayTestSigner.PaidTrade("D1", "T1"));
        Refusal(Verify(Provider(), body + "&out_trade_no=D2")).Code.ShouldBe("notification_malformed");
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"not\":\"a form\"}")]
    [InlineData("%%%&&&===")]
    public void Garbage_is_refused_not_thrown(string body) =>
        Verify(Provider(), body).ShouldBeOfType<NotificationVerdict.Refused>();

    [Fact]
    public void A_body_that_is_not_UTF8_is_refused()
    {
        var verdict = Provider().Verify(ProviderNotification.FromBody(new byte[] { 0x61, 0x3d, 0xff, 0xfe }));
        Refusal(verdict).Code.ShouldBe("notification_malformed");
    }
}
