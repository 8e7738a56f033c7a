using Derp.ServiceDefaults.Messaging;
using Derp.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Derp.ServiceDefaults.Tests;

/// <summary>
/// A service's commit wakes its outbox publisher at once: events leave when they are committed, not at the next poll
/// (the interceptor was registered but never added to the contexts, so every hop of a flow waited for the poll).
/// </summary>
public sealed class OutboxSignalTests
{
    [Fact]
    public async Task A_commit_through_a_services_context_signals_the_publisher()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddDbContext<GaugeContext>(o => o.UseNpgsql(
            new NpgsqlConnectionStringBuilder(TestInfrastructure.PostgresServer) { Database = "postgres" }.ConnectionString));
        builder.AddDerpMessaging<GaugeContext>();
        await using var services = builder.Services.BuildServiceProvider();
        var signal = services.GetRequiredService<OutboxSignal>();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GaugeContext>();

        (await signal.WaitAsync(TimeSpan.Zero, TestContext.Current.CancellationToken)).ShouldBeFalse("nothing committed yet");
        await using (var transaction = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken))
            await transaction.CommitAsync(TestContext.Current.CancellationToken);

        (await signal.WaitAsync(TimeSpan.Zero, TestContext.Current.CancellationToken)).ShouldBeTrue("the commit woke the publisher");
    }
}
