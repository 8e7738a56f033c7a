using Derp.Contracts.Finance;
using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Finance.FunctionalTests;

/// <summary>Rows written straight to the database, for tests of what reads them (stats, settlement).</summary>
public static class FinanceRows
{
    public static Plan Plan(string name, int days, long priceCents) => new()
    {
        Id = Guid.NewGuid(),
        Version = 1,
        NameZh = name,
        NameEn = name,
        DurationDays = days,
        PriceCents = priceCents,
        Currency = Currencies.Cny,
        Sell = true,
        Renew = true,
        CreatedAt = DateTimeOffset.UtcNow,
        UpdatedAt = DateTimeOffset.UtcNow,
    };

    public static Order Order(Guid userId, Plan plan, string status, string type = OrderTypes.New, DateTimeOffset? createdAt = null,
        DateTimeOffset? paidAt = null, DateTimeOffset? refundedAt = null, long refundedCents = 0, long? paidCents = null)
    {
        var created = createdAt ?? paidAt ?? DateTimeOffset.UtcNow;
        var id = Guid.NewGuid();
        return new Order
        {
            Id = id,
            Number = $"T{id:N}"[..20],
            UserId = userId,
            PlanId = plan.Id,
            PlanNameZh = plan.NameZh,
            PlanNameEn = plan.NameEn,
            DurationDays = plan.DurationDays,
            TrafficQuotaGb = plan.TrafficQuotaGb,
            Type = type,
            Status = status,
            PriceCents = plan.PriceCents,
            PaidCents = paidCents ?? (paidAt is null ? 0 : plan.PriceCents),
            Currency = Currencies.Cny,
            Memo = $"{id:N}"[..6].ToUpperInvariant(),
            InstructionsJson = "{}",
            CreatedAt = created.ToUniversalTime(),
            ExpiresAt = created.ToUniversalTime().AddMinutes(30),
            PaidAt = paidAt?.ToUniversalTime(),
            FulfilledAt = status == OrderStatuses.Fulfilled ? paidAt?.ToUniversalTime() : null,
            RefundedAt = refundedAt?.ToUniversalTime(),
            RefundedCents = refundedCents,
        };
    }

    public static async Task AddAsync(this FinanceApiFactory factory, params object[] rows)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FinanceContext>();
        db.AddRange(rows);
        await db.SaveChangesAsync();
    }
}
