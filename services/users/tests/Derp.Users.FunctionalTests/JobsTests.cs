using Derp.Users.Api.Infrastructure;
using Derp.Users.Api.Jobs;
using Derp.Users.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;

namespace Derp.Users.FunctionalTests;

public sealed class JobsTests(UsersApiFactory factory) : IClassFixture<UsersApiFactory>
{
    [Fact]
    public async Task The_cleanup_trigger_lives_in_the_clustered_postgres_store()
    {
        await using var connection = new NpgsqlConnection(factory.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT trigger_state FROM qrtz_triggers WHERE trigger_name = 'users-cleanup-daily'", connection);

        (await command.ExecuteScalarAsync()).ShouldNotBeNull();
        // A clustered scheduler checks in shortly after it starts.
        await using var instances = new NpgsqlCommand("SELECT count(*) FROM qrtz_scheduler_state", connection);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long checkedIn;
        while ((checkedIn = (long)(await instances.ExecuteScalarAsync())!) == 0 && DateTime.UtcNow < deadline)
            await Task.Delay(250);
        checkedIn.ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task The_cleanup_job_removes_refresh_tokens_long_expired_and_keeps_live_ones()
    {
        var tokens = await factory.CreateClient().RegisterVerifiedAsync();
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersContext>();
        var live = await db.RefreshTokens.SingleAsync(t => t.TokenHash == Api.Services.TokenService.Hash(tokens.RefreshToken));
        var stale = new RefreshToken
        {
            Id = Guid.CreateVersion7(),
            UserId = live.UserId,
            FamilyId = Guid.NewGuid(),
            TokenHash = Guid.NewGuid().ToString("N"),
            CreatedAt = DateTimeOffset.UtcNow.AddDays(-40),
            ExpiresAt = DateTimeOffset.UtcNow.AddDays(-10),
        };
        db.RefreshTokens.Add(stale);
        await db.SaveChangesAsync();

        var scheduler = await scope.ServiceProvider.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.TriggerJob(CleanupJob.Key);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await db.RefreshTokens.AsNoTracking().AnyAsync(t => t.Id == stale.Id) && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        (await db.RefreshTokens.AsNoTracking().AnyAsync(t => t.Id == stale.Id)).ShouldBeFalse();
        (await db.RefreshTokens.AsNoTracking().AnyAsync(t => t.Id == live.Id)).ShouldBeTrue();
    }
}
