using Derp.Contracts.Users;
using Derp.ServiceDefaults.Messaging;
using Derp.Users.Api.Infrastructure;
using Derp.Users.Api.Model;
using Microsoft.EntityFrameworkCore;

namespace Derp.Users.Api.Services;

/// <param name="ClientIp">The address of the request behind the period (the redeeming renter, the extending admin).</param>
/// <param name="OrderId">The paid plan order behind the period (source <c>order</c>); the rental events carry it back to finance.</param>
public sealed record NewPeriod(string Source, Guid? SerialId, Guid? PlanId, int? TrafficQuotaGb, Guid? CreatedBy, string? ClientIp = null, Guid? OrderId = null);

/// <summary>
/// Rental changes. Each runs inside the caller's transaction; the rental row is locked first, so two redemptions
/// of one renter at the same moment stack one after the other instead of overwriting each other.
/// </summary>
public sealed class RentalLifecycle(UsersContext db, TimeProvider clock)
{
    public static readonly int[] ReminderDays = [1, 3, 7];
    public static readonly TimeSpan DeregistrationGrace = TimeSpan.FromDays(30);

    /// <summary>Adds a period that ends where <paramref name="end"/> says (given its start), creating the rental if needed.</summary>
    public async Task<Rental> AddPeriodAsync(User user, NewPeriod period, Func<DateTimeOffset, DateTimeOffset> end, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rental = await db.Rentals.FromSqlInterpolated($"SELECT * FROM rentals WHERE user_id = {user.Id} FOR UPDATE")
            .SingleOrDefaultAsync(cancellationToken);
        var start = Rental.PeriodStart(rental, now);
        var record = new RentalPeriod
        {
            Id = Guid.CreateVersion7(),
            UserId = user.Id,
            Source = period.Source,
            SerialId = period.SerialId,
            OrderId = period.OrderId,
            PlanId = period.PlanId,
            TrafficQuotaGb = period.TrafficQuotaGb,
            StartsAt = start,
            EndsAt = end(start),
            CreatedBy = period.CreatedBy,
            CreatedAt = now,
        };

        if (rental is null)
        {
            rental = new Rental
            {
                Id = Guid.CreateVersion7(),
                UserId = user.Id,
                Status = RentalStatuses.Active,
                PlanId = period.PlanId,
                TrafficQuotaGb = period.TrafficQuotaGb,
                StartedAt = start,
                ExpiresAt = record.EndsAt,
            };
            db.Rentals.Add(rental);
            record.RentalId = rental.Id;
            db.AddIntegrationEvent(new RentalActivated(rental.Id, user.Id, record.Id, start, rental.ExpiresAt, period.PlanId, period.TrafficQuotaGb, period.SerialId) { ClientIp = period.ClientIp, OrderId = period.OrderId }, clock);
            db.QueueEmail(user, RentalEmails.Activated, clock, new Dictionary<string, string> { ["ExpiresAt"] = Notifications.MailDate(rental.ExpiresAt) });
        }
        else
        {
            var previous = rental.ExpiresAt;
            var wasExpired = rental.Status == RentalStatuses.Expired;
            record.RentalId = rental.Id;
            rental.Status = RentalStatuses.Active;
            rental.ExpiresAt = record.EndsAt;
            rental.ExpiredAt = null;
            rental.PlanId = period.PlanId ?? rental.PlanId;
            rental.TrafficQuotaGb = period.TrafficQuotaGb ?? rental.TrafficQuotaGb;
            if (wasExpired)
            {
                // A new period after a gap starts with a fresh traffic count.
                rental.OverQuota = false;
                rental.TrafficUsedBytes = 0;
            }
            db.AddIntegrationEvent(new RentalExtended(rental.Id, user.Id, record.Id, previous, rental.ExpiresAt, wasExpired, rental.TrafficQuotaGb, period.Source) { ClientIp = period.ClientIp, OrderId = period.OrderId }, clock);
            db.QueueEmail(user, RentalEmails.Extended, clock, new Dictionary<string, string> { ["ExpiresAt"] = Notifications.MailDate(rental.ExpiresAt) });
        }
        db.RentalPeriods.Add(record);
        return rental;
    }

    /// <summary>Active rentals past their expiry become expired (relays stop; the account stays).</summary>
    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await db.Rentals
            .FromSqlInterpolated($"SELECT * FROM rentals WHERE status = {RentalStatuses.Active} AND expires_at <= {now} ORDER BY expires_at LIMIT 500 FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellationToken);
        var users = await UsersOf(due, cancellationToken);
        foreach (var rental in due)
        {
            rental.Status = RentalStatuses.Expired;
            rental.ExpiredAt = rental.ExpiresAt;
            db.AddIntegrationEvent(new RentalExpired(rental.Id, rental.UserId, rental.ExpiresAt), clock);
            db.QueueEmail(users[rental.UserId], RentalEmails.Expired, clock, new Dictionary<string, string> { ["ExpiresAt"] = Notifications.MailDate(rental.ExpiresAt) });
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }

    /// <summary>
    /// Reminds 7, 3 and 1 days before expiry. The nearest threshold not yet passed is claimed by a unique row per
    /// rental, expiry date and threshold, so each reminder goes out once per period however often this runs.
    /// </summary>
    public async Task<int> SendRemindersAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var horizon = now.AddDays(ReminderDays.Max());
        var rentals = await db.Rentals.AsNoTracking()
            .Where(r => r.Status == RentalStatuses.Active && r.ExpiresAt > now && r.ExpiresAt <= horizon)
            .ToListAsync(cancellationToken);
        var users = await UsersOf(rentals, cancellationToken);
        var sent = 0;
        foreach (var rental in rentals)
        {
            if (ReminderDue(rental.ExpiresAt, now) is not { } days)
                continue;
            var claimed = await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO rental_reminders (rental_id, expires_at, days_before, sent_at)
                VALUES ({rental.Id}, {rental.ExpiresAt}, {days}, {now}) ON CONFLICT DO NOTHING
                """, cancellationToken);
            if (claimed == 0 || users[rental.UserId].Status != UserStatuses.Active)
                continue;
            db.QueueEmail(users[rental.UserId], RentalEmails.Reminder, clock, new Dictionary<string, string>
            {
                ["Days"] = days.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["ExpiresAt"] = Notifications.MailDate(rental.ExpiresAt),
            });
            sent++;
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return sent;
    }

    /// <summary>
    /// The reminder due for a rental expiring at <paramref name="expiresAt"/>: the nearest of 7, 3 and 1 days not yet
    /// passed, or none when the expiry is over 7 days away or already past. Once per period because the claim row is
    /// keyed by the expiry: an extension moves the expiry, and the reminders start again for the new one.
    /// </summary>
    public static int? ReminderDue(DateTimeOffset expiresAt, DateTimeOffset now)
    {
        if (expiresAt <= now)
            return null;
        foreach (var days in ReminderDays)
            if (expiresAt - now <= TimeSpan.FromDays(days))
                return days;
        return null;
    }

    /// <summary>Closes the account: sessions end, devices go, UserDeregistered tells the other services; the record stays.</summary>
    public async Task DeregisterAsync(User user, string reason, Guid? actorId, HttpContext? http, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        user.Status = UserStatuses.Deregistered;
        user.DeregisteredAt = now;
        user.DeregistrationReason = reason;
        await db.EndAllSessionsAsync(user, SessionRevocationReasons.Deregistered, clock, cancellationToken);
        // The rental ends with the account: it no longer reads active nor counts among the active rentals.
        await db.Rentals.Where(r => r.UserId == user.Id && r.Status != RentalStatuses.Closed)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RentalStatuses.Closed), cancellationToken);
        await db.Devices.Where(d => d.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        db.AddIntegrationEvent(new UserDeregistered(user.Id, reason, now), clock);
        db.Audit(http, clock, AuditActions.Deregistered, user.Id, actorId, reason);
    }

    private async Task<Dictionary<Guid, User>> UsersOf(IEnumerable<Rental> rentals, CancellationToken cancellationToken)
    {
        var ids = rentals.Select(r => r.UserId).Distinct().ToList();
        return await db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
    }
}
