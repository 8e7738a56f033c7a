using System.Text;

namespace Derp.Distribution.Api.Services;

/// <summary>What a template can name about the order it is delivered to.</summary>
public sealed record DeliveryPlaceholders(string OrderId, string? BuyerId, string? ItemTitle, string? Spec, int Quantity, string? DeliveryContent = null);

/// <summary>Pure text rules of the storefront: spec normalisation and template rendering (unit-tested).</summary>
public static class StorefrontText
{
    /// <summary>
    /// Trims and folds full-width forms to half-width (U+FF01–FF5E → U+0021–007E, ideographic space U+3000 → space),
    /// so a shop's "ＸＬ" or "颜色：红色" matches a card's "XL" or "颜色:红色". Inner runs of spaces collapse to one;
    /// case is kept (use <see cref="SpecKey"/> to compare).
    /// </summary>
    public static string NormalizeSpec(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        var folded = new StringBuilder(value.Length);
        var lastWasSpace = false;
        foreach (var c in value)
        {
            var half = c switch
            {
                >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
                '\u3000' => ' ',
                _ => c,
            };
            var isSpace = char.IsWhiteSpace(half);
            if (isSpace && lastWasSpace)
                continue;
            folded.Append(isSpace ? ' ' : half);
            lastWasSpace = isSpace;
        }
        return folded.ToString().Trim();
    }

    /// <summary>The form specs are compared in: normalised and case-insensitive.</summary>
    public static string SpecKey(string? value) => NormalizeSpec(value).ToUpperInvariant();

    /// <summary>
    /// Does an order's spec select a card's spec? Either the value alone ("红色") or "name:value" ("颜色:红色"),
    /// after normalisation (so "颜色：红色" with a full-width colon matches too).
    /// </summary>
    public static bool SpecMatches(string? orderSpec, string? cardSpecName, string? cardSpecValue)
    {
        var order = SpecKey(orderSpec);
        if (order.Length == 0 || string.IsNullOrWhiteSpace(cardSpecValue))
            return false;
        var value = SpecKey(cardSpecValue);
        if (order == value)
            return true;
        if (string.IsNullOrWhiteSpace(cardSpecName))
            return false;
        var parts = order.Split(':', 2);
        return parts.Length == 2 && parts[0].Trim() == SpecKey(cardSpecName) && parts[1].Trim() == value;
    }

    public const string OrderIdPlaceholder = "{ORDER_ID}";
    public const string BuyerIdPlaceholder = "{BUYER_ID}";
    public const string ItemTitlePlaceholder = "{ITEM_TITLE}";
    public const string SpecPlaceholder = "{SPEC}";
    public const string DeliveryContentPlaceholder = "{DELIVERY_CONTENT}";
    public const string QuantityPlaceholder = "{QUANTITY}";

    /// <summary>
    /// Replaces the placeholders in one pass (a value that itself contains "{ORDER_ID}" is not expanded again);
    /// unknown braces stay as written. <paramref name="encode"/> escapes each value for where the template is used
    /// (a URL, a JSON body); missing values render as "".
    /// </summary>
    public static string Render(string template, DeliveryPlaceholders values, Func<string, string>? encode = null)
    {
        encode ??= static v => v;
        var result = new StringBuilder(template.Length + 32);
        var i = 0;
        while (i < template.Length)
        {
            if (template[i] == '{')
            {
                var end = template.IndexOf('}', i + 1);
                if (end > i)
                {
                    string? value = template.AsSpan(i, end - i + 1) switch
                    {
                        OrderIdPlaceholder => values.OrderId,
                        BuyerIdPlaceholder => values.BuyerId ?? "",
                        ItemTitlePlaceholder => values.ItemTitle ?? "",
                        SpecPlaceholder => values.Spec ?? "",
                        DeliveryContentPlaceholder => values.DeliveryContent ?? "",
                        QuantityPlaceholder => values.Quantity.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        _ => null,
                    };
                    if (value is not null)
                    {
                        result.Append(encode(value));
                        i = end + 1;
                        continue;
                    }
                }
            }
            result.Append(template[i]);
            i++;
        }
        return result.ToString();
    }

    /// <summary>A JSON string's inner text (for values placed inside quotes in a JSON body template).</summary>
    public static string JsonStringContent(string value) =>
        System.Text.Json.JsonEncodedText.Encode(value, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();

    /// <summary>Follows a dot path ("data.codes.0") through a JSON document; a string is returned as is, anything else as JSON.</summary>
    public static string? SelectField(System.Text.Json.JsonElement root, string? path)
    {
        var current = root;
        if (!string.IsNullOrWhiteSpace(path))
        {
            foreach (var segment in path.Split('.'))
            {
                if (current.ValueKind == System.Text.Json.JsonValueKind.Object && current.TryGetProperty(segment, out var child))
                    current = child;
                else if (current.ValueKind == System.Text.Json.JsonValueKind.Array && int.TryParse(segment, out var index)
                         && index >= 0 && index < current.GetArrayLength())
                    current = current[index];
                else
                    return null;
            }
        }
        return current.ValueKind switch
        {
            System.Text.Json.JsonValueKind.String => current.GetString(),
            System.Text.Json.JsonValueKind.Null or System.Text.Json.JsonValueKind.Undefined => null,
            _ => current.GetRawText(),
        };
    }
}
