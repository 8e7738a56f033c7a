using System.Text;
using System.Text.RegularExpressions;

namespace Derp.TestSupport;

public sealed record ReceivedMail(string To, string Subject, string TextBody, string Raw);

/// <summary>Reads what the SMTP sink (aiosmtpd, Mailbox handler) received.</summary>
public static partial class MailSink
{
    public static async Task<ReceivedMail> WaitForMailAsync(string to, Func<ReceivedMail, bool>? match = null, TimeSpan? timeout = null, int skip = 0)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var mails = MailsTo(to).Where(m => match?.Invoke(m) ?? true).ToList();
            if (mails.Count > skip)
                return mails[skip];
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"No mail to {to} arrived in time (found {mails.Count}).");
            await Task.Delay(100);
        }
    }

    public static IReadOnlyList<ReceivedMail> MailsTo(string to)
    {
        var directory = Path.Combine(TestInfrastructure.MailDirectory, "new");
        if (!Directory.Exists(directory))
            return [];
        return new DirectoryInfo(directory).GetFiles()
            .OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => Parse(File.ReadAllText(f.FullName)))
            .Where(m => m.To.Contains(to, StringComparison.OrdinalIgnoreCase))
            .ToList();
    }

    /// <summary>The first 6-digit number in the mail's text: the verification code.</summary>
    public static string VerificationCode(this ReceivedMail mail) => SixDigits().Match(mail.TextBody).Value;

    private static ReceivedMail Parse(string raw)
    {
        var to = Header(raw, "To");
        var subject = DecodeEncodedWords(Header(raw, "Subject"));
        return new ReceivedMail(to, subject, TextPart(raw), raw);
    }

    private static string Header(string raw, string name)
    {
        var match = Regex.Match(raw, $@"^{name}:[ \t]*(.*(?:\r?\n[ \t].*)*)", RegexOptions.Multiline | RegexOptions.IgnoreCase);
        return match.Success ? Regex.Replace(match.Groups[1].Value, @"\r?\n[ \t]+", " ").Trim() : "";
    }

    // System.Net.Mail sends the text as the first part, base64 or quoted-printable encoded.
    private static string TextPart(string raw)
    {
        var part = Regex.Match(raw, @"Content-Type:\s*text/plain[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*?Content-Transfer-Encoding:\s*(\S+)\r?\n(?:[^\r\n]+\r?\n)*\r?\n(.*?)(?:\r?\n--|\z)",
            RegexOptions.Singleline | RegexOptions.IgnoreCase);
        if (!part.Success)
            return raw;
        var body = part.Groups[2].Value;
        return part.Groups[1].Value.ToLowerInvariant() switch
        {
            "base64" => Encoding.UTF8.GetString(Convert.FromBase64String(Regex.Replace(body, @"\s", ""))),
            "quoted-printable" => DecodeQuotedPrintable(body),
            _ => body,
        };
    }

    private static string DecodeQuotedPrintable(string body)
    {
        var joined = Regex.Replace(body, @"=\r?\n", "");
        var bytes = new List<byte>(joined.Length);
        for (var i = 0; i < joined.Length; i++)
        {
            if (joined[i] == '=' && i + 2 < joined.Length && Uri.IsHexDigit(joined[i + 1]) && Uri.IsHexDigit(joined[i + 2]))
            {
                bytes.Add(Convert.ToByte(joined.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(joined[i].ToString()));
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    // RFC 2047: adjacent encoded words are one text, and a long UTF-8 subject may be split inside a character, so
    // the bytes of a run of words are joined before they are decoded.
    private static string DecodeEncodedWords(string value) =>
        EncodedWordRun().Replace(value, run =>
        {
            var words = EncodedWord().Matches(run.Value);
            var bytes = words.SelectMany(w => Convert.FromBase64String(w.Groups[2].Value)).ToArray();
            return Encoding.GetEncoding(words[0].Groups[1].Value).GetString(bytes);
        });

    [GeneratedRegex(@"=\?([^?]+)\?[Bb]\?([^?]*)\?=")]
    private static partial Regex EncodedWord();

    [GeneratedRegex(@"=\?[^?]+\?[Bb]\?[^?]*\?=(?:\s+=\?[^?]+\?[Bb]\?[^?]*\?=)*")]
    private static partial Regex EncodedWordRun();

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
