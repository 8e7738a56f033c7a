using Derp.Serials.Api.Infrastructure;
using Derp.Serials.Api.Model;
using Derp.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Derp.Serials.Api.Services;

/// <summary>
/// The recently validated serials (with their client environment) by normalized full code, so that the steady state
/// of <c>POST /api/validate</c> (an active, bound licence asking again) and the refusals that depend only on the row
/// are decided without a database round trip. Kept fresh by the change feed (ADR-028): a serial's row or client
/// environment changing drops that code, a batch changing drops its serials, a (re)connect of the listener drops all.
/// Unknown codes are not kept (new serials arrive by bulk COPY without notifications). The held rows are shared:
/// never modify one; <see cref="Rebound"/> replaces.
/// </summary>
public sealed class LicenceView(IServiceScopeFactory scopes, IOptions<SerialsOptions> options) : IChangeFeedSubscriber
{
    /// <summary>Payload: the serial's full code (serials and client_environments triggers).</summary>
    public const string SerialsChannel = "serials_changed";

    /// <summary>Payload: the batch id (serial_batches trigger).</summary>
    public const string BatchesChannel = "serial_batches_changed";

    private static readonly Func<SerialsContext, string, CancellationToken, Task<Serial?>> ByCode =
        EF.CompileAsyncQuery((SerialsContext db, string code, CancellationToken _) =>
            db.Serials.AsNoTracking().Include(s => s.Client).SingleOrDefault(s => s.FullCode == code));

    public RecentView<string, Serial> Held { get; } = new(options.Value.LicenceViewCapacity);

    public IReadOnlyCollection<string> Channels { get; } = [SerialsChannel, BatchesChannel];

    /// <summary>The serial from memory, else from the database (kept for next time); null when no such code.</summary>
    public async ValueTask<Serial?> GetAsync(string code, CancellationToken cancellationToken)
    {
        if (Held.TryGet(code, out var held))
            return held;
        var loadStartedAt = Held.BeginLoad();
        var serial = await LoadAsync(code, cancellationToken);
        if (serial is not null)
            Held.Store(code, serial, loadStartedAt);
        return serial;
    }

    /// <summary>The database's row, for decisions that write: they are made on what is committed, not on memory.</summary>
    public Task<Serial?> LoadFreshAsync(string code, CancellationToken cancellationToken) => LoadAsync(code, cancellationToken);

    /// <summary>This process changed the serial: drop it now rather than when its own notification comes back.</summary>
    public void Forget(string code) => Held.Invalidate(code);

    /// <summary>
    /// A lenient licence accepted from a new address or hardware: the recorder will write them as the bound ones, and
    /// the next call is judged against them already (as it would be once written).
    /// </summary>
    public void Rebound(string code, Serial held, string hardware, string ip)
    {
        if (held.Client is not { } client || (client.Hardware == hardware && client.Ip == ip))
            return;
        var copy = Copy(held);
        copy.Client = new ClientEnvironment
        {
            SerialId = client.SerialId, MachineCode = client.MachineCode, Hardware = hardware, Ip = ip, Function = client.Function,
            BoundAt = client.BoundAt, LastRequestAt = client.LastRequestAt,
        };
        Held.Replace(code, held, copy);
    }

    public void Changed(string channel, string key)
    {
        if (channel == SerialsChannel)
            Held.Invalidate(key);
        else if (channel == BatchesChannel && Guid.TryParse(key, out var batchId))
            Held.InvalidateWhere((_, serial) => serial.BatchId == batchId);
    }

    public void Reset(bool live) => Held.Reset(live);

    private async Task<Serial?> LoadAsync(string code, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await ByCode(scope.ServiceProvider.GetRequiredService<SerialsContext>(), code, cancellationToken);
    }

    private static Serial Copy(Serial s) => new()
    {
        Id = s.Id, Prefix = s.Prefix, Code = s.Code, FullCode = s.FullCode, Kind = s.Kind, Status = s.Status, StatusBeforeDisable = s.StatusBeforeDisable,
        BatchId = s.BatchId, DistributorId = s.DistributorId, PlanId = s.PlanId, DurationDays = s.DurationDays, DurationHours = s.DurationHours,
        TrafficQuotaGb = s.TrafficQuotaGb, ValueCents = s.ValueCents, BindingPolicy = s.BindingPolicy, Remark = s.Remark, CreatedAt = s.CreatedAt,
        ValidUntil = s.ValidUntil, FirstUsedAt = s.FirstUsedAt, ExpiresAt = s.ExpiresAt, UserId = s.UserId,
    };
}
