using Derp.Users.Api.Services;

namespace Derp.Users.UnitTests;

/// <summary>Requirements §2.2: reminders 7, 3 and 1 days before expiry, each once per period.</summary>
public sealed class ReminderThresholdTests
{
    private static readonly DateTimeOffset Expiry = new(2026, 5, 10, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(30 * 24, null)]
    [InlineData(7 * 24 + 1, null)]
    [InlineData(7 * 24, 7)]
    [InlineData(4 * 24, 7)]
    [InlineData(3 * 24 + 1, 7)]
    [InlineData(3 * 24, 3)]
    [InlineData(25, 3)]
    [InlineData(24, 1)]
    [InlineData(1, 1)]
    [InlineData(0, null)] // expired: the expiry job's mail, not a reminder
    [InlineData(-5, null)]
    public void The_nearest_threshold_not_yet_passed_is_due(int hoursLeft, int? due) =>
        RentalLifecycle.ReminderDue(Expiry, Expiry.AddHours(-hoursLeft)).ShouldBe(due);

    /// <summary>
    /// The reminder job as it runs (every 15 minutes), with the claim it makes: a row keyed by rental, expiry and
    /// threshold, which the unique key of rental_reminders lets in once.
    /// </summary>
    private static List<(DateTimeOffset At, int Days)> RunJob(Func<DateTimeOffset, DateTimeOffset> expiryAt, DateTimeOffset from, DateTimeOffset to,
        HashSet<(DateTimeOffset ExpiresAt, int Days)> claims)
    {
        var sent = new List<(DateTimeOffset, int)>();
        for (var now = from; now <= to; now = now.AddMinutes(15))
        {
            var expiresAt = expiryAt(now);
            if (RentalLifecycle.ReminderDue(expiresAt, now) is { } days && claims.Add((expiresAt, days)))
                sent.Add((now, days));
        }
        return sent;
    }

    [Fact]
    public void A_period_gets_each_reminder_once_however_often_the_job_runs()
    {
        var sent = RunJob(_ => Expiry, Expiry.AddDays(-20), Expiry.AddDays(1), []);

        sent.Select(s => s.Days).ShouldBe([7, 3, 1]);
        sent.Select(s => s.At).ShouldBe([Expiry.AddDays(-7), Expiry.AddDays(-3), Expiry.AddDays(-1)]);
    }

    [Fact]
    public void A_rental_that_starts_inside_a_threshold_gets_that_reminder_at_once_and_the_later_ones_in_time()
    {
        // A two-day rental: the 7-day reminder is skipped, the 3-day one is due at once.
        var sent = RunJob(_ => Expiry, Expiry.AddDays(-2), Expiry, []);

        sent.ShouldBe([(Expiry.AddDays(-2), 3), (Expiry.AddDays(-1), 1)]);
    }

    [Fact]
    public void An_extension_starts_the_reminders_again_for_the_new_expiry()
    {
        var extendedAt = Expiry.AddDays(-2);
        var extended = Expiry.AddDays(30);
        HashSet<(DateTimeOffset, int)> claims = [];

        var sent = RunJob(now => now < extendedAt ? Expiry : extended, Expiry.AddDays(-10), extended, claims);

        sent.ShouldBe([(Expiry.AddDays(-7), 7), (Expiry.AddDays(-3), 3), (extended.AddDays(-7), 7), (extended.AddDays(-3), 3), (extended.AddDays(-1), 1)]);
    }
}
