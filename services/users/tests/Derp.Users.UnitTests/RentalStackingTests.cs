using Derp.Contracts.Users;
using Derp.Users.Api.Model;

namespace Derp.Users.UnitTests;

/// <summary>Requirements §2.2: where a new period starts and how long it lasts.</summary>
public sealed class RentalStackingTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static Rental RentalOf(string status, DateTimeOffset expiresAt) =>
        new() { Status = status, StartedAt = expiresAt.AddDays(-30), ExpiresAt = expiresAt };

    [Fact]
    public void A_first_period_starts_now() => Rental.PeriodStart(null, Now).ShouldBe(Now);

    [Fact]
    public void A_period_added_while_active_stacks_on_the_current_expiry()
    {
        var expiry = Now.AddDays(12).AddHours(5);

        Rental.PeriodStart(RentalOf(RentalStatuses.Active, expiry), Now).ShouldBe(expiry);
    }

    [Fact]
    public void A_period_added_after_expiry_starts_now_and_the_gap_is_not_paid_for()
    {
        Rental.PeriodStart(RentalOf(RentalStatuses.Expired, Now.AddDays(-3)), Now).ShouldBe(Now);
    }

    [Fact]
    public void An_active_rental_whose_expiry_passed_before_the_expiry_job_ran_starts_now()
    {
        // The job runs every minute: between the expiry and the job the row still says active.
        Rental.PeriodStart(RentalOf(RentalStatuses.Active, Now.AddSeconds(-30)), Now).ShouldBe(Now);
        Rental.PeriodStart(RentalOf(RentalStatuses.Active, Now), Now).ShouldBe(Now);
    }

    [Fact]
    public void A_closed_rental_never_stacks()
    {
        Rental.PeriodStart(RentalOf(RentalStatuses.Closed, Now.AddDays(20)), Now).ShouldBe(Now);
    }

    [Fact]
    public void Three_monthly_serials_redeemed_back_to_back_give_ninety_days()
    {
        Rental? rental = null;
        foreach (var _ in Enumerable.Range(0, 3))
        {
            var start = Rental.PeriodStart(rental, Now);
            var end = start + Rental.PeriodLength(30, null);
            rental ??= RentalOf(RentalStatuses.Active, end);
            rental.ExpiresAt = end;
        }

        rental!.ExpiresAt.ShouldBe(Now.AddDays(90));
    }

    [Theory]
    [InlineData(30, null, 30 * 24)]
    [InlineData(1, 6, 24)] // days win over hours when a serial carries both
    [InlineData(null, 6, 6)] // an hourly trial serial
    [InlineData(null, null, 0)] // no duration: the consumer refuses it
    [InlineData(0, 6, 0)]
    public void A_period_lasts_its_days_or_else_its_hours(int? days, int? hours, int expectedHours) =>
        Rental.PeriodLength(days, hours).ShouldBe(TimeSpan.FromHours(expectedHours));

    [Fact]
    public void A_renewal_order_paid_with_twelve_days_left_ends_thirty_days_after_the_old_expiry()
    {
        // An OrderPaid of a 30-day plan: its period lasts the plan's days, from where the running rental ends.
        var expiry = Now.AddDays(12);

        var start = Rental.PeriodStart(RentalOf(RentalStatuses.Active, expiry), Now);

        (start + Rental.PeriodLength(30, null)).ShouldBe(Now.AddDays(42));
    }

    [Fact]
    public void A_renewal_order_paid_after_expiry_runs_its_days_from_the_payment()
    {
        var start = Rental.PeriodStart(RentalOf(RentalStatuses.Expired, Now.AddDays(-10)), Now);

        (start + Rental.PeriodLength(5, null)).ShouldBe(Now.AddDays(5));
    }

    [Fact]
    public void A_serial_and_then_an_order_stack_one_after_the_other()
    {
        var afterSerial = Rental.PeriodStart(null, Now) + Rental.PeriodLength(30, null);
        var rental = RentalOf(RentalStatuses.Active, afterSerial);

        var afterOrder = Rental.PeriodStart(rental, Now.AddDays(3)) + Rental.PeriodLength(180, null);

        afterOrder.ShouldBe(Now.AddDays(210));
    }

    [Fact]
    public void An_hourly_period_stacks_to_the_hour()
    {
        var expiry = Now.AddHours(2);

        (Rental.PeriodStart(RentalOf(RentalStatuses.Active, expiry), Now) + Rental.PeriodLength(null, 6)).ShouldBe(Now.AddHours(8));
    }
}
