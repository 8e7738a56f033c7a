
using Derp.Contracts.Users;
using Derp.Users.Api.Infrastructure;
using Derp.Users.Api.Model;
using Microsoft.EntityFrameworkCore;

namespace Derp.Users.Api.Services;

/// <summary>
/// Sends queued notification mails. Rows are claimed with FOR UPDATE SKIP LOCKED (replicas share the work); a failure
/// is retried with a growing delay and, after <see cref="MaxAttempts"/>, marked failed for an operator to see. A mail
/// that cannot be sent never blocks the change that caused it.
/// </summary>
public sealed class EmailDispatcher(IServiceScopeFactory scopes, Derp.ServiceDefaults.Email.IEmailSender sender, TimeProvider clock, ILogger<EmailDispatcher> logger)
    : BackgroundService
{
    /// <summary>With delays of 5 s doubling up to 5 minutes, about an hour of tries before a mail is marked failed.</summary>
    public const int MaxAttempts = 20;

    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(5);

    /// <summary>Short outages are the common case: the first tries come seconds apart, and no wait exceeds a few minutes.</summary>
    public static TimeSpan RetryDelay(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(MaxRetryDelay.TotalSeconds, 5 * Math.Pow(2, Math.Min(attempts - 1, 16))));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await SendDueAsync(stoppingToken) > 0)
                    continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Email dispatch pass failed");
            }
            try { await Task.Delay(TimeSpan.FromMilliseconds(500), stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersContext>();
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await db.OutgoingEmails
            .FromSqlInterpolated($"SELECT * FROM outgoing_emails WHERE status = {EmailStatuses.Pending} AND next_attempt_at <= {now} ORDER BY id LIMIT 20 FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellationToken);
        foreach (var mail in due)
        {
            mail.Attempts++;
            try
            {
                await sender.SendAsync(new Derp.ServiceDefaults.Email.EmailMessage(mail.Recipient, mail.Subject, mail.TextBody, mail.HtmlBody) { Kind = mail.Template }, cancellationToken);
                mail.Status = EmailStatuses.Sent;
                mail.SentAt = clock.GetUtcNow();
                mail.LastError = null;
            }
            catch (Exception e) when (e is System.Net.Mail.SmtpException or IOException or InvalidOperationException or System.Net.Sockets.SocketException)
            {
                mail.LastError = e.Message.Length > 1000 ? e.Message[..1000] : e.Message;
                mail.Status = mail.Attempts >= MaxAttempts ? EmailStatuses.Failed : EmailStatuses.Pending;
                mail.NextAttemptAt = clock.GetUtcNow() + RetryDelay(mail.Attempts);
                logger.LogWarning("Mail {MailId} ({Template}) to {Recipient} failed, attempt {Attempt}: {Error}",
                    mail.Id, mail.Template, mail.Recipient, mail.Attempts, e.Message);
            }
        }
        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        return due.Count;
    }
}
