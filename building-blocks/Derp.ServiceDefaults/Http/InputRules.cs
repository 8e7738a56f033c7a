using System.Globalization;

namespace Derp.ServiceDefaults.Http;

/// <summary>
/// What the platform accepts in any text or date a client sends, whatever the endpoint (ADR-010). The
/// <see cref="InputGuardMiddleware"/> applies these rules to every JSON string, query value and route value before an
/// endpoint runs, so a new endpoint cannot forget them; fields with stricter needs (device names) add their own.
/// </summary>
public static class InputRules
{
    /// <summary>The earliest date any input may carry (inclusive).</summary>
    public static readonly DateTimeOffset EarliestDate = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The latest date any input may carry (exclusive): far beyond any rental, well inside every type's range.</summary>
    public static readonly DateTimeOffset LatestDate = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public const string InvalidCharactersMessage = "Contains characters that are not allowed (control characters such as NUL).";

    public static readonly string DateRangeMessage =
        $"Dates must be between {EarliestDate:yyyy-MM-dd} and {LatestDate:yyyy-MM-dd}.";

    /// <summary>
    /// NUL breaks PostgreSQL text and the other C0 controls (and DEL) break headers, logs and CSV; tab, line feed and
    /// carriage return stay allowed in free text. Lone surrogates cannot be stored as UTF-8 either.
    /// </summary>
    public static bool HasDisallowedCharacters(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < ' ' ? c is not ('\t' or '\n' or '\r') : c == '\u007F')
                return true;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                    return true;
                i++;
            }
            else if (char.IsLowSurrogate(c))
                return true;
        }
        return false;
    }

    /// <summary>
    /// For names people give things (devices): no C0 or C1 control at all, and no bidirectional override or isolate
    /// (U+202A–U+202E, U+2066–U+2069) that could make a name display as something else.
    /// </summary>
    public static bool HasControlOrBidiCharacters(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C')
                return true;
        }
        return HasDisallowedCharacters(text);
    }

    public static bool IsAcceptedDate(DateTimeOffset date) => date >= EarliestDate && date < LatestDate;

    /// <summary>
    /// A query or route value that is written as an ISO date (yyyy-MM-dd...) and parses as one is judged by the date
    /// range; anything else is not a date and is left to the endpoint's own binding.
    /// </summary>
    public static bool IsOutOfRangeDate(string value)
    {
        if (value.Length < 10 || !char.IsAsciiDigit(value[0]) || value[4] != '-' || value[7] != '-')
            return false;
        // Years beyond 9999 do not parse: those are the binder's 400; parseable ones outside the range are ours.
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            && !IsAcceptedDate(date);
    }
}
