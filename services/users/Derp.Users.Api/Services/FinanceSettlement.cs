using System.Net.Http.Json;
using System.Text.Json;

namespace Derp.Users.Api.Services;

/// <summary>Whether a lapsed account owes nothing and is owed nothing, so it may be closed (requirements §1.4).</summary>
public interface IAccountSettlement
{
    Task<SettlementCheck> CheckAsync(Guid userId, CancellationToken cancellationToken);
}

/// <param name="Detail">Why not (finance's blockers and balance, or that finance did not answer), for the audit log.</param>
public sealed record SettlementCheck(bool Settled, string Detail);

public sealed class FinanceOptions
{
    public const string Section = "Finance";

    /// <summary>finance's own address: the settlement endpoint is internal, not routed by the gateway.</summary>
    public Uri BaseUrl { get; set; } = new("http://127.0.0.1:5105");

    /// <summary>Short: the job asks once per lapsed account, and a slow finance only means "ask again next hour".</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Asks finance's internal <c>GET /internal/settlement/{userId}</c>. Anything but a clear "settled" (finance down, slow,
/// 5xx, an answer that does not parse) counts as not settled: closing an account cannot be undone, asking again can.
/// </summary>
public sealed class FinanceSettlement(HttpClient http, ILogger<FinanceSettlement> logger) : IAccountSettlement
{
    private sealed record Answer(Guid? UserId, bool Settled, IReadOnlyList<string>? Blockers, long BalanceCents);

    public async Task<SettlementCheck> CheckAsync(Guid userId, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync($"internal/settlement/{userId}", cancellationToken);
            if (!response.IsSuccessStatusCode)
                return Unanswered(userId, $"finance answered {(int)response.StatusCode}");
            var answer = await response.Content.ReadFromJsonAsync<Answer>(JsonSerializerOptions.Web, cancellationToken);
            if (answer is null || answer.UserId is { } about && about != userId)
                return Unanswered(userId, "finance's answer was about another account");
            return answer.Settled
                ? new SettlementCheck(true, "settled")
                : new SettlementCheck(false, $"blockers: {string.Join(", ", answer.Blockers ?? [])}; balance {answer.BalanceCents} cents");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unanswered(userId, "finance did not answer in time");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or NotSupportedException)
        {
            return Unanswered(userId, $"finance could not be asked ({e.GetType().Name})");
        }
    }

    private SettlementCheck Unanswered(Guid userId, string why)
    {
        logger.LogWarning("Settlement of user {UserId} unknown ({Reason}); treated as not settled until the next run", userId, why);
        return new SettlementCheck(false, why);
    }
}
