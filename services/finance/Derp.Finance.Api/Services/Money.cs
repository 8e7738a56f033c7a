using System.Globalization;

namespace Derp.Finance.Api.Services;

/// <summary>How an amount that arrived for an order divides: what the order takes, what goes to the wallet.</summary>
public readonly record struct PaymentSplit(long AppliedCents, long OverpaidCents);

/// <summary>
/// The money rules as pure arithmetic on integer fen (no floating point anywhere). The one rounding rule: there is
/// none. A fen is the smallest unit; a yuan string with a third decimal is refused, never rounded, so what a provider
/// reports and what the ledger records are always the same number.
/// </summary>
public static class Money
{
    /// <summary>The largest amount accepted in one yuan string: 10^13 fen, far above any order, far below overflow.</summary>
    public const long MaxCents = 10_000_000_000_000;

    /// <summary>
    /// Divides <paramref name="amountCents"/> arriving for an order priced <paramref name="priceCents"/> that already has
    /// <paramref name="paidCents"/>: the order takes at most what it still needs, the rest is an overpayment.
    /// </summary>
    public static PaymentSplit Split(long amountCents, long priceCents, long paidCents)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amountCents);
        ArgumentOutOfRangeException.ThrowIfNegative(priceCents);
        ArgumentOutOfRangeException.ThrowIfNegative(paidCents);
        var due = Math.Max(0, priceCents - paidCents);
        var applied = Math.Min(amountCents, due);
        return new PaymentSplit(applied, amountCents - applied);
    }

    /// <summary>
    /// Parses a non-negative yuan amount as providers send it ("12", "12.3", "12.34") into fen. Refuses signs,
    /// spaces, exponents, separators, more than two decimals and amounts above <see cref="MaxCents"/>.
    /// </summary>
    public static bool TryParseYuan(string? text, out long cents)
    {
        cents = 0;
        if (string.IsNullOrEmpty(text) || text.Length > 20)
            return false;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? text : text[..dot];
        var fraction = dot < 0 ? "" : text[(dot + 1)..];
        if (whole.Length == 0 || !whole.All(char.IsAsciiDigit) || (dot >= 0 && fraction.Length is 0 or > 2) || !fraction.All(char.IsAsciiDigit))
            return false;
        if (whole.Length > 15)
            return false;
        var value = long.Parse(whole, NumberStyles.None, CultureInfo.InvariantCulture) * 100
            + (fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(2, '0'), NumberStyles.None, CultureInfo.InvariantCulture));
        if (value > MaxCents)
            return false;
        cents = value;
        return true;
    }

    /// <summary>Formats fen as yuan with exactly two decimals ("12.34", "0.05"), as providers expect it.</summary>
    public static string FormatYuan(long cents)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cents);
        return string.Create(CultureInfo.InvariantCulture, $"{cents / 100}.{cents % 100:D2}");
    }
}
