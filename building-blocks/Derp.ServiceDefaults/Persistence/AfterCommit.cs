using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Derp.ServiceDefaults.Persistence;

/// <summary>
/// Work that must happen only once a change is durable, such as counting a business event on /metrics: queued on
/// the context, run when its transaction commits (or its SaveChanges succeeds outside a transaction), dropped when
/// it rolls back. Services whose change commits in a caller's transaction need not know where the commit is.
/// </summary>
public static class AfterCommitExtensions
{
    private static readonly ConditionalWeakTable<DbContext, List<Action>> Pending = new();

    /// <summary>Queues <paramref name="action"/> for the commit of the transaction in progress (call it inside that unit of work).</summary>
    public static void AfterCommit(this DbContext db, Action action)
    {
        var queue = Pending.GetOrCreateValue(db);
        lock (queue)
            queue.Add(action);
    }

    internal static void Run(DbContext? db)
    {
        if (db is null || !Pending.TryGetValue(db, out var queue))
            return;
        Action[] due;
        lock (queue)
        {
            due = [.. queue];
            queue.Clear();
        }
        foreach (var action in due)
            action();
    }

    internal static void Drop(DbContext? db)
    {
        if (db is not null && Pending.TryGetValue(db, out var queue))
            lock (queue)
                queue.Clear();
    }
}

/// <summary>Runs a context's <see cref="AfterCommitExtensions.AfterCommit"/> work at its commit (added by AddDerpMessaging).</summary>
public sealed class AfterCommitInterceptor : SaveChangesInterceptor, IDbTransactionInterceptor
{
    public static readonly AfterCommitInterceptor Instance = new();

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
            AfterCommitExtensions.Run(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(SavedChanges(eventData, result));

    /// <summary>A new transaction: whatever is still queued belonged to one that ended without committing (disposed).</summary>
    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        AfterCommitExtensions.Drop(eventData.Context);
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result,
        CancellationToken cancellationToken = default) => ValueTask.FromResult(TransactionStarted(connection, eventData, result));

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => AfterCommitExtensions.Run(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        AfterCommitExtensions.Run(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => AfterCommitExtensions.Drop(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        AfterCommitExtensions.Drop(eventData.Context);
        return Task.CompletedTask;
    }
}
