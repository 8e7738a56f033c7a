using Derp.ServiceDefaults.Persistence;
using Derp.TestSupport;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Derp.ServiceDefaults.Tests;

/// <summary>Work queued with AfterCommit (business counters) runs at the commit only, against the real PostgreSQL.</summary>
public sealed class AfterCommitTests
{
    private static GaugeContext NewContext() => new(new DbContextOptionsBuilder<GaugeContext>()
        .UseNpgsql(new NpgsqlConnectionStringBuilder(TestInfrastructure.PostgresServer) { Database = "postgres" }.ConnectionString)
        .AddInterceptors(AfterCommitInterceptor.Instance).Options);

    [Fact]
    public async Task Runs_when_the_transaction_commits_not_before()
    {
        await using var db = NewContext();
        var ran = 0;
        await using var transaction = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
        db.AfterCommit(() => ran++);
        ran.ShouldBe(0);

        await transaction.CommitAsync(TestContext.Current.CancellationToken);

        ran.ShouldBe(1);
    }

    [Fact]
    public async Task Is_dropped_when_the_transaction_rolls_back_or_ends_without_a_commit()
    {
        await using var db = NewContext();
        var ran = 0;
        await using (var rolledBack = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            db.AfterCommit(() => ran++);
            await rolledBack.RollbackAsync(TestContext.Current.CancellationToken);
        }
        await using (var _ = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken))
            db.AfterCommit(() => ran++); // disposed without a commit

        await using (var next = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken))
            await next.CommitAsync(TestContext.Current.CancellationToken);

        ran.ShouldBe(0);
    }
}
