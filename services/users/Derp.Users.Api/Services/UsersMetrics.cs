using System.Diagnostics.Metrics;
using Derp.Contracts.Users;
using Derp.ServiceDefaults.Metrics;
using Derp.Users.Api.Infrastructure;

namespace Derp.Users.Api.Services;

/// <summary>The users service's own figures on /metrics (mails are counted by the building blocks' sender).</summary>
public static class UsersMetrics
{
    private static readonly Meter Meter = new("Derp.Users");

    public static readonly Counter<long> Registrations = Meter.CreateCounter<long>("derp.users.registrations", description: "Accounts registered.");

    public static readonly Counter<long> Logins = Meter.CreateCounter<long>("derp.users.logins",
        description: "Login attempts by result (succeeded, failed, locked, rate_limited, unverified, closed).");

    public static void Login(string result) => Logins.Add(1, PlatformMetrics.Tag("result", result));

    public static void AddUsersGauges(this IServiceCollection services)
    {
        services.AddDatabaseGauge<UsersContext>("derp.users.active_rentals", "Rentals running now.",
            $"SELECT count(*) FROM rentals WHERE status = '{RentalStatuses.Active}'");
        services.AddDatabaseGauge<UsersContext>("derp.users.rentals_expiring_7d", "Running rentals that end within 7 days.",
            $"SELECT count(*) FROM rentals WHERE status = '{RentalStatuses.Active}' AND expires_at < now() + interval '7 days'");
    }
}
