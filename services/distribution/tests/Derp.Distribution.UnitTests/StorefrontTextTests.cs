using System.Net;
using System.Text.Json;
using Derp.Distribution.Api.Services;

namespace Derp.Distribution.UnitTests;

public sealed class StorefrontTextTests
{
    [Theory]
    [InlineData("  XL  ", "XL")]
    [InlineData("ＸＬ", "XL")]
    [InlineData("\u3000ＸＬ\u3000", "XL")]
    [InlineData("颜色：红色", "颜色:红色")]
    [InlineData("１２８ＧＢ", "128GB")]
    [InlineData("！～", "!~")]
    [InlineData("红色\u3000 \u3000大号", "红色 大号")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData("\uFF00\uFF5F", "\uFF00\uFF5F")] // just outside the folded range: kept
    public void Normalising_a_spec_trims_and_folds_full_width_to_half_width(string? input, string expected) =>
        StorefrontText.NormalizeSpec(input).ShouldBe(expected);

    [Theory]
    [InlineData("ｘｌ", "尺码", "XL", true)]
    [InlineData("尺码：ＸＬ", "尺码", "XL", true)]
    [InlineData(" 尺码 : xl ", "尺码", "XL", true)]
    [InlineData("颜色:XL", "尺码", "XL", false)]
    [InlineData("XXL", "尺码", "XL", false)]
    [InlineData("", "尺码", "XL", false)]
    [InlineData("XL", null, null, false)]
    public void A_spec_matches_by_value_or_by_name_and_value(string orderSpec, string? specName, string? specValue, bool matches) =>
        StorefrontText.SpecMatches(orderSpec, specName, specValue).ShouldBe(matches);

    private static readonly DeliveryPlaceholders Order = new("O-1", "buyer 7", "DERP 月卡", "XL", 3, "CODE-9");

    [Fact]
    public void Rendering_fills_every_placeholder_and_keeps_unknown_braces() =>
        StorefrontText.Render("{ORDER_ID}|{BUYER_ID}|{ITEM_TITLE}|{SPEC}|{QUANTITY}|{DELIVERY_CONTENT}|{ITEM_ID}|{|}", Order)
            .ShouldBe("O-1|buyer 7|DERP 月卡|XL|3|CODE-9|{ITEM_ID}|{|}");

    [Fact]
    public void Rendering_does_not_expand_placeholders_inside_values() =>
        StorefrontText.Render("{BUYER_ID}", Order with { BuyerId = "{ORDER_ID}" }).ShouldBe("{ORDER_ID}");

    [Fact]
    public void Missing_values_render_empty() =>
        StorefrontText.Render("[{BUYER_ID}][{SPEC}]", Order with { BuyerId = null, Spec = null }).ShouldBe("[][]");

    [Fact]
    public void Values_are_encoded_for_where_the_template_is_used()
    {
        StorefrontText.Render("https://x/?b={BUYER_ID}", Order, Uri.EscapeDataString).ShouldBe("https://x/?b=buyer%207");
        var body = StorefrontText.Render("{\"b\":\"{BUYER_ID}\"}", Order with { BuyerId = "a\"b\\c 买家" }, StorefrontText.JsonStringContent);
        JsonDocument.Parse(body).RootElement.GetProperty("b").GetString().ShouldBe("a\"b\\c 买家");
    }

    [Theory]
    [InlineData("""{"data":{"code":"X1"}}""", "data.code", "X1")]
    [InlineData("""{"codes":["A","B"]}""", "codes.1", "B")]
    [InlineData("""{"n":42}""", "n", "42")]
    [InlineData("""{"data":{}}""", "data.code", null)]
    [InlineData("""{"data":null}""", "data", null)]
    [InlineData("""["A"]""", "5", null)]
    [InlineData("\"plain\"", "", "plain")]
    public void A_response_field_is_found_by_its_dot_path(string json, string path, string? expected)
    {
        using var document = JsonDocument.Parse(json);
        StorefrontText.SelectField(document.RootElement, path).ShouldBe(expected);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("224.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("2001:4860:4860::8888", false)]
    public void Private_loopback_and_link_local_addresses_are_recognised(string address, bool isPrivate) =>
        StorefrontApiCaller.IsPrivate(IPAddress.Parse(address)).ShouldBe(isPrivate);

    [Fact]
    public void Api_keys_are_random_and_only_their_hash_identifies_them()
    {
        var (key, prefix, hash) = StorefrontKeys.NewKey();
        var (other, _, _) = StorefrontKeys.NewKey();

        key.ShouldStartWith($"sfk_{prefix}_");
        key.Split('_').Length.ShouldBe(3);
        key.ShouldNotBe(other);
        hash.ShouldBe(StorefrontKeys.Hash(key));
        hash.ShouldNotContain(key[(prefix.Length + 5)..]);
        hash.Length.ShouldBe(64);
    }
}
