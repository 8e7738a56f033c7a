using System.Net;
using System.Net.Mail;
using System.Text;
using Derp.ServiceDefaults.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Derp.ServiceDefaults.Email;

public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 2525;
    public bool EnableSsl { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "Derp <no-reply@derp.local>";
    public int TimeoutMilliseconds { get; set; } = 10_000;
}

public sealed record EmailMessage(string To, string Subject, string TextBody, string HtmlBody)
{
    /// <summary>What the mail is (its template's name): the <c>kind</c> label of <c>derp_mails_total</c>.</summary>
    public string Kind { get; init; } = "other";
}

public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default);
}

/// <summary>System.Net.Mail over SMTP (STARTTLS and auth when configured); MailKit does not restore here.</summary>
public sealed class SmtpEmailSender(IOptionsMonitor<SmtpOptions> options, ILogger<SmtpEmailSender> logger) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        var smtp = options.CurrentValue; // a changed SMTP setting applies to the next mail, without a restart
        using var client = new SmtpClient(smtp.Host, smtp.Port)
        {
            EnableSsl = smtp.EnableSsl,
            Timeout = smtp.TimeoutMilliseconds,
            DeliveryMethod = SmtpDeliveryMethod.Network,
        };
        if (!string.IsNullOrEmpty(smtp.Username))
            client.Credentials = new NetworkCredential(smtp.Username, smtp.Password);

        using var mail = new MailMessage
        {
            From = new MailAddress(smtp.From),
            Subject = message.Subject,
            SubjectEncoding = Encoding.UTF8,
            Body = message.TextBody,
            BodyEncoding = Encoding.UTF8,
        };
        mail.To.Add(message.To);
        mail.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(message.HtmlBody, Encoding.UTF8, "text/html"));

        try
        {
            await client.SendMailAsync(mail, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            PlatformMetrics.Mails.Add(1, PlatformMetrics.Tag("kind", message.Kind), PlatformMetrics.Tag("result", "failed"));
            throw;
        }
        PlatformMetrics.Mails.Add(1, PlatformMetrics.Tag("kind", message.Kind), PlatformMetrics.Tag("result", "sent"));
        // The recipient is logged; the subject and body never are: they can carry codes and links.
        logger.LogInformation("Sent email to {Recipient}", message.To);
    }
}

/// <summary>
/// A mail in Chinese and English. Placeholders are written <c>{Name}</c>; values are HTML-encoded in the HTML body.
/// </summary>
public sealed record EmailTemplate(string Name, string SubjectZh, string BodyZh, string SubjectEn, string BodyEn)
{
    public EmailMessage Render(string to, string? language, IReadOnlyDictionary<string, string> values)
    {
        var english = language is not null && language.StartsWith("en", StringComparison.OrdinalIgnoreCase);
        var subject = Fill(english ? SubjectEn : SubjectZh, values, html: false);
        var text = Fill(english ? BodyEn : BodyZh, values, html: false);
        var html = $"<!doctype html><html><body style=\"font-family:sans-serif\"><p>{Fill(WebUtility.HtmlEncode(english ? BodyEn : BodyZh), values, html: true).Replace("\n", "<br>", StringComparison.Ordinal)}</p></body></html>";
        return new EmailMessage(to, subject, text, html) { Kind = Name };
    }

    private static string Fill(string template, IReadOnlyDictionary<string, string> values, bool html)
    {
        var result = new StringBuilder(template);
        foreach (var (key, value) in values)
            result.Replace("{" + key + "}", html ? WebUtility.HtmlEncode(value) : value);
        return result.ToString();
    }
}
