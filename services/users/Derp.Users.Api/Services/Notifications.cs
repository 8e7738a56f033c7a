using Derp.Contracts.Users;
using System.Globalization;
using Derp.ServiceDefaults.Email;
using Derp.Users.Api.Infrastructure;
using Derp.Users.Api.Model;

namespace Derp.Users.Api.Services;

public static class Notifications
{
    /// <summary>Queues a mail to the user in their language, in the current unit of work: it leaves only if the change commits.</summary>
    public static void QueueEmail(this UsersContext db, User user, EmailTemplate template, TimeProvider clock, IReadOnlyDictionary<string, string>? values = null)
    {
        var all = new Dictionary<string, string>(values ?? new Dictionary<string, string>()) { ["Username"] = user.Username };
        var message = template.Render(user.Email, user.Language, all);
        var now = clock.GetUtcNow();
        db.OutgoingEmails.Add(new OutgoingEmail
        {
            UserId = user.Id,
            Recipient = user.Email,
            Template = template.Name,
            Subject = message.Subject,
            TextBody = message.TextBody,
            HtmlBody = message.HtmlBody,
            Status = EmailStatuses.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
        });
    }

    /// <summary>Dates in mails: Beijing time (the operator's zone, requirements §11.4), unambiguous.</summary>
    public static string MailDate(DateTimeOffset value) =>
        value.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm 'UTC+8'", CultureInfo.InvariantCulture);

    public static string Bytes(long bytes) => bytes >= 1L << 30
        ? (bytes / (double)(1L << 30)).ToString("0.##", CultureInfo.InvariantCulture) + " GB"
        : (bytes / (double)(1L << 20)).ToString("0.##", CultureInfo.InvariantCulture) + " MB";
}
