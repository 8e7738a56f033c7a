using Derp.Serials.Api.Infrastructure;
using Derp.ServiceDefaults.Persistence;
using Derp.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Derp.Serials.Api.Services;

/// <summary>
/// The decrypted data key per batch, falling back to the global one, kept in memory so the open-program path costs
/// no database round trip after the first. A batch whose row changes (a new key) is dropped by the change feed.
/// </summary>
public sealed class DataKeyCache(IServiceScopeFactory scopes, SecretProtector secrets, IOptions<SerialsOptions> options) : IChangeFeedSubscriber
{
    private sealed record BatchKey(string? Value);

    private readonly RecentView<Guid, BatchKey> _keys = new(10_000);

    public IReadOnlyCollection<string> Channels { get; } = [LicenceView.BatchesChannel];

    public async ValueTask<string?> GetAsync(Guid batchId, CancellationToken cancellationToken)
    {
        if (!_keys.TryGet(batchId, out var key))
        {
            var loadStartedAt = _keys.BeginLoad();
            await using var scope = scopes.CreateAsyncScope();
            var ciphertext = await scope.ServiceProvider.GetRequiredService<SerialsContext>().Batches.AsNoTracking()
                .Where(b => b.Id == batchId).Select(b => b.DataKeyCiphertext).SingleOrDefaultAsync(cancellationToken);
            key = new BatchKey(ciphertext is null ? null : secrets.Unprotect(ciphertext));
            _keys.Store(batchId, key, loadStartedAt);
        }
        return key.Value ?? options.Value.DataKey;
    }

    public void Changed(string channel, string key)
    {
        if (Guid.TryParse(key, out var batchId))
            _keys.Invalidate(batchId);
    }

    public void Reset(bool live) => _keys.Reset(live);
}
