using System.Diagnostics.CodeAnalysis;

namespace Derp.Finance.Api.Services.Payments;

/// <summary>
/// Alipay states amounts as yuan strings ("30.00"); finance counts fen. The conversion is exact, on the digits, never
/// through floating point: at most two decimals, anything else (signs, exponents, separators, a third decimal) is not
/// an amount, because rounding money a provider reports would hide a mismatch instead of showing it.
/// </summary>
public static class YuanAmounts
{
    /// <summary>Up to 12 digits of yuan: far beyond any order, far below <see cref="long.MaxValue"/> fen.</summary>
    private const int MaxYuanDigits = 12;

    public static bool TryParseToFen(string? text, [NotNullWhen(true)] out long? fen)
    {
        fen = null;
        if (string.IsNullOrEmpty(text))
            return false;
        var point = text.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? "" : text[(point + 1)..];
        if (whole.Length is 0 or > MaxYuanDigits || fraction.Length > 2 || (point >= 0 && fraction.Length == 0))
            return false;
        if (!whole.All(char.IsAsciiDigit) || !fraction.All(char.IsAsciiDigit))
            return false;

        long value = 0;
        foreach (var digit in whole)
            value = value * 10 + (digit - '0');
        value *= 100;
        if (fraction.Length > 0)
            value += (fraction[0] - '0') * 10;
        if (fraction.Length > 1)
            value += fraction[1] - '0';
        fen = value;
        return true;
    }
}
