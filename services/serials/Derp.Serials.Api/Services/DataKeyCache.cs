using Derp.ServiceDefaults.Security;
using System.Collections.Concurrent;
using Derp.Serials.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Derp.Serials.Api.Services;

/// <summary>
/// The decrypted data key per batch (a batch's key never changes after creation), falling back to the global one.
/// Kept in memory only, so the open-program path costs no extra database round trip after the first.
/// </summary>
public sealed class DataKeyCache(IServiceScopeFactory scopes, SecretProtector secrets, IOptions<SerialsOptions> options)
{
    private readonly ConcurrentDictionary<Guid, string?> _keys = new();

    public async Task<string?> GetAsync(Guid batchId, CancellationToken cancellationToken)
    {
        if (!_keys.TryGetValue(batchId, out var key))
        {
            await using var scope = scopes.CreateAsyncScope();
            var ciphertext = await scope.ServiceProvider.GetRequiredService<SerialsContext>().Batches.AsNoTracking()
                .Where(b => b.Id == batchId).Select(b => b.DataKeyCiphertext).SingleOrDefaultAsync(cancellationToken);
            key = ciphertext is null ? null : secrets.Unprotect(ciphertext);
            _keys[batchId] = key;
        }
        return key ?? options.Value.DataKey;
    }
}
