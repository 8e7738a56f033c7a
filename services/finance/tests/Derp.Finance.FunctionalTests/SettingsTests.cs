using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Contracts.Finance;
using Derp.TestSupport;

namespace Derp.Finance.FunctionalTests;

public sealed class SettingsTests(FinanceApiFactory factory) : IClassFixture<FinanceApiFactory>
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 1, 2, 3];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 9, 9];

    [Fact]
    public async Task The_order_timeout_is_a_setting_and_applies_to_orders_made_after_it_changed()
    {
        var admin = factory.Admin();
        (await admin.GetFromJsonAsync<JsonElement>("/api/finance/settings")).GetProperty("orderTimeoutMinutes").GetInt32().ShouldBe(30);

        var saved = await (await admin.PutAsJsonAsync("/api/finance/settings", new { orderTimeoutMinutes = 60, publicDonations = true })).JsonAsync();
        saved.GetProperty("orderTimeoutMinutes").GetInt32().ShouldBe(60);
        saved.GetProperty("publicDonations").GetBoolean().ShouldBeTrue();
        var order = await factory.Renter(Guid.NewGuid()).BuyAsync(await admin.CreatePlanIdAsync());
        order.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(factory.Clock.GetUtcNow().AddMinutes(60), TimeSpan.FromSeconds(1));

        foreach (var minutes in new[] { 4, 1441, -1 })
        {
            var refused = await admin.PutAsJsonAsync("/api/finance/settings", new { orderTimeoutMinutes = minutes, publicDonations = false });
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await refused.ProblemCodeAsync()).ShouldBe("validation_failed");
        }
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/finance/audit?action=settings_changed");
        audit.GetProperty("total").GetInt32().ShouldBeGreaterThanOrEqualTo(1);
        (await (await admin.GetAsync("/api/finance/audit?action=nonsense")).ProblemCodeAsync()).ShouldBe("validation_failed");
    }

    [Fact]
    public async Task Receiving_accounts_with_QR_codes_are_shown_to_signed_in_users_and_snapshotted_on_orders()
    {
        var admin = factory.Admin();
        var alipay = await (await admin.PutAsJsonAsync("/api/finance/payment-accounts/alipay", new
        {
            accountName = "Derp 运营", account = "pay@derp.example", enabled = true, qrImageBase64 = Convert.ToBase64String(Png), qrContentType = "image/png",
        })).JsonAsync();
        alipay.GetProperty("hasQr").GetBoolean().ShouldBeTrue();
        (await admin.PutAsJsonAsync("/api/finance/payment-accounts/wechat", new
        {
            accountName = "Derp", account = "wx-derp", enabled = true, qrImageBase64 = Convert.ToBase64String(Jpeg),
        })).EnsureSuccessStatusCode();
        var renter = factory.Renter(Guid.NewGuid());

        var qr = await renter.GetAsync("/api/finance/payment-accounts/alipay/qr");
        qr.StatusCode.ShouldBe(HttpStatusCode.OK);
        qr.Content.Headers.ContentType!.MediaType.ShouldBe("image/png");
        (await qr.Content.ReadAsByteArrayAsync()).ShouldBe(Png);
        (await renter.GetAsync("/api/finance/payment-accounts/wechat/qr")).Content.Headers.ContentType!.MediaType.ShouldBe("image/jpeg");
        (await factory.CreateClient().GetAsync("/api/finance/payment-accounts/alipay/qr")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var accounts = await renter.GetFromJsonAsync<JsonElement>("/api/finance/payment-accounts");
        accounts.EnumerateArray().Select(a => a.Str("channel")).ShouldBe(["alipay", "wechat"]);
        accounts[0].Str("qrUrl").ShouldBe("/api/finance/payment-accounts/alipay/qr");

        var order = await renter.BuyAsync(await admin.CreatePlanIdAsync());
        var snapshot = order.GetProperty("instructions").GetProperty("accounts");
        snapshot.EnumerateArray().Select(a => a.Str("account")).ShouldBe(["pay@derp.example", "wx-derp"]);
        order.GetProperty("instructions").GetRawText().ShouldNotContain("iVBOR"); // no image bytes in the order

        // Disabled accounts disappear from the pay page; orders already made keep what they showed.
        (await admin.PutAsJsonAsync("/api/finance/payment-accounts/wechat", new { accountName = "Derp", account = "wx-derp", enabled = false })).EnsureSuccessStatusCode();
        (await renter.GetFromJsonAsync<JsonElement>("/api/finance/payment-accounts")).GetArrayLength().ShouldBe(1);
        var again = await (await renter.GetAsync($"/api/finance/me/orders/{order.Id()}")).JsonAsync();
        again.GetProperty("instructions").GetProperty("accounts").GetArrayLength().ShouldBe(2);
        // Leaving the image out kept it.
        (await renter.GetAsync("/api/finance/payment-accounts/wechat/qr")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var settings = await admin.GetFromJsonAsync<JsonElement>("/api/finance/settings");
        settings.GetProperty("accounts").EnumerateArray().Single(a => a.Str("channel") == "wechat").GetProperty("enabled").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task QR_images_must_be_PNG_or_JPEG_within_512_KiB()
    {
        var admin = factory.Admin();
        var gif = "GIF89a\u0001\u0000\u0001\u0000"u8.ToArray();
        var tooBig = new byte[512 * 1024 + 1];
        Png.CopyTo(tooBig, 0);
        var cases = new (string Base64, string? ContentType)[]
        {
            (Convert.ToBase64String(gif), null),
            (Convert.ToBase64String(tooBig), null),
            ("not base64 at all!", null),
            (Convert.ToBase64String(Png), "image/jpeg"), // claims one type, is another
            (Convert.ToBase64String(Png), "image/svg+xml"),
        };
        foreach (var (base64, contentType) in cases)
        {
            var response = await admin.PutAsJsonAsync("/api/finance/payment-accounts/alipay", new
            {
                accountName = "Derp", account = "a", enabled = true, qrImageBase64 = base64, qrContentType = contentType,
            });
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await response.ProblemCodeAsync()).ShouldBe("qr_image_invalid");
        }
        var exactLimit = new byte[512 * 1024];
        Jpeg.CopyTo(exactLimit, 0);
        (await admin.PutAsJsonAsync("/api/finance/payment-accounts/alipay", new
        {
            accountName = "Derp", account = "a", enabled = true, qrImageBase64 = Convert.ToBase64String(exactLimit),
        })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var unknown = await admin.PutAsJsonAsync("/api/finance/payment-accounts/paypal", new { accountName = "Derp", account = "a", enabled = true });
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unknown.ProblemCodeAsync()).ShouldBe("payment_account_not_found");
        var noName = await admin.PutAsJsonAsync("/api/finance/payment-accounts/alipay", new { accountName = "", account = "a", enabled = true });
        (await noName.ProblemCodeAsync()).ShouldBe("validation_failed");
        var noQr = await factory.Renter(Guid.NewGuid()).GetAsync("/api/finance/payment-accounts/paypal/qr");
        (await noQr.ProblemCodeAsync()).ShouldBe("payment_account_not_found");
        (await factory.Renter(Guid.NewGuid()).PutAsJsonAsync("/api/finance/payment-accounts/alipay", new { accountName = "x", account = "a", enabled = true }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
