using System.Security.Cryptography;

namespace Derp.Finance.Api.Services;

/// <summary>The two names of an order a person reads: its number and the memo written on a transfer.</summary>
public static class OrderCodes
{
    /// <summary>No 0/O, 1/I/L, U/V: a memo read off a bank statement or typed from a screenshot means one thing.</summary>
    public const string MemoAlphabet = "23456789ABCDEFGHJKMNPQRSTWXYZ";

    public const int MemoLength = 6;

    /// <summary>A random memo such as <c>D7K2QX</c> (29^6, about 600 million; unique among pending orders by index).</summary>
    public static string NewMemo() =>
        string.Create(MemoLength, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
                span[i] = MemoAlphabet[RandomNumberGenerator.GetInt32(MemoAlphabet.Length)];
        });

    /// <summary>
    /// A number such as <c>20261123034512837462</c>: the UTC time to the second then six random digits. Digits only,
    /// 20 characters: valid as out_trade_no for both Alipay and WeChat Pay, and sorts by time. Unique by index.
    /// </summary>
    public static string NewNumber(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture)
        + RandomNumberGenerator.GetInt32(1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>What a person typed as a memo, as stored: trimmed, upper case.</summary>
    public static string NormalizeMemo(string memo) => memo.Trim().ToUpperInvariant();
}
