using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.Model;
using Microsoft.EntityFrameworkCore;

namespace Derp.Finance.Api.Services;

public static class SettingsStore
{
    /// <summary>The settings row (id 1), made with the defaults the first time anything asks.</summary>
    public static async Task<FinanceSettings> GetSettingsAsync(this FinanceContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var defaults = new FinanceSettings();
        await db.Database.ExecuteSqlAsync(
            $"""
             INSERT INTO settings (id, order_timeout_minutes, public_donations, updated_at)
             VALUES ({FinanceSettings.SingletonId}, {defaults.OrderTimeoutMinutes}, {defaults.PublicDonations}, {clock.GetUtcNow()})
             ON CONFLICT DO NOTHING
             """, cancellationToken);
        return await db.Settings.SingleAsync(s => s.Id == FinanceSettings.SingletonId, cancellationToken);
    }
}
