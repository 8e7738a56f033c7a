using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Derp.Serials.Api.Services;

public static partial class SerialCodes
{
    /// <summary>Upper-case letters and digits without the look-alikes 0/O, 1/I/L.</summary>
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    public const int MinLength = 6;
    public const int MaxLength = 32;
    public const int DefaultLength = 10;

    public static string NewCode(int length) => RandomNumberGenerator.GetString(Alphabet, length);

    public static string FullCode(string prefix, string code) => $"{prefix}-{code}";

    /// <summary>How a user's input is matched: surrounding spaces ignored, case-insensitive.</summary>
    public static string Normalize(string input) => input.Trim().ToUpperInvariant();

    public static bool IsValidPrefix(string? prefix) => prefix is not null && PrefixPattern().IsMatch(prefix);

    [GeneratedRegex("^[A-Za-z0-9]{1,16}$")]
    private static partial Regex PrefixPattern();
}
