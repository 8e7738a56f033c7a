using Derp.Contracts.Distribution;
using Derp.Distribution.Api.Infrastructure;
using Derp.Distribution.Api.Model;
using Microsoft.EntityFrameworkCore;

namespace Derp.Distribution.Api.Services;

/// <summary>Why a delivery failed (stored in the log, returned to the bot).</summary>
public static class DeliveryFailureReasons
{
    public const string NoMatchingCard = "no_matching_card";
    public const string NoMatchingSpec = "no_matching_spec";
    public const string CardDisabled = "card_disabled";
    public const string CardDeleted = "card_deleted";
    public const string CardMisconfigured = "card_misconfigured";
    public const string OutOfStock = "out_of_stock";
    public const string ApiFailed = "api_failed";
}

public sealed record DeliveryOrder(string Channel, string ExternalOrderId, string? ItemTitle, Guid? ItemId, string? Spec, int Quantity, string? BuyerId);

public sealed record DryRunResult(Guid? CardId, string? CardName, string? Type, int DelaySeconds, string? FailureReason, int? Available, IReadOnlyList<string> Items);

/// <summary>
/// Turns a shop order into delivered content. Every delivery is one row, unique per (owner, channel, order): the row
/// is inserted first (ON CONFLICT DO NOTHING) in the transaction that assigns the content, so a concurrent retry waits
/// for that transaction and then reads its result instead of delivering again. Stock (serials, pool lines) is picked
/// with FOR UPDATE SKIP LOCKED and marked in the same transaction: a line or serial is never delivered twice, and an
/// order that cannot get all its items gets none (out_of_stock).
/// </summary>
public sealed class StorefrontDeliveryEngine(DistributionContext db, StorefrontApiCaller apiCaller, TimeProvider clock)
{
    public async Task<StorefrontDelivery> DeliverAsync(Guid ownerId, Guid? apiKeyId, DeliveryOrder order, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var inserted = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO storefront_deliveries (id, owner_id, api_key_id, channel, external_order_id, item_title, item_id, spec, quantity, buyer_id, status, created_at, ready_at)
                VALUES ({id}, {ownerId}, {apiKeyId}, {order.Channel}, {order.ExternalOrderId}, {order.ItemTitle}, {order.ItemId}, {order.Spec}, {order.Quantity}, {order.BuyerId}, {DeliveryStatuses.Scheduled}, {now}, {now})
                ON CONFLICT (owner_id, channel, external_order_id) DO NOTHING
                """, cancellationToken);
            if (inserted == 1)
            {
                var delivery = await db.StorefrontDeliveries.SingleAsync(d => d.Id == id, cancellationToken);
                var (card, failure) = await ResolveCardAsync(ownerId, order.ItemTitle, order.ItemId, order.Spec, cancellationToken);
                if (card is null)
                    Fail(delivery, failure!, now);
                else
                {
                    delivery.CardId = card.Id;
                    delivery.CardName = card.Name;
                    delivery.ReadyAt = now.AddSeconds(card.DelaySeconds);
                    // A delayed delivery stays a row until it is due (ADR-023); its content is assigned then.
                    if (card.DelaySeconds == 0)
                        await AssignAsync(delivery, card, now, cancellationToken);
                }
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return delivery;
            }
        }
        // Someone delivered (or is delivering: the insert above waited for their transaction) this order already.
        return await db.StorefrontDeliveries.AsNoTracking().Include(d => d.Items.OrderBy(i => i.Position))
            .SingleAsync(d => d.OwnerId == ownerId && d.Channel == order.Channel && d.ExternalOrderId == order.ExternalOrderId, cancellationToken);
    }

    /// <summary>
    /// Assigns the content of a delayed delivery once it is due (from the job, or from a GET after readyAt). Returns
    /// false when another caller holds it (<paramref name="skipLocked"/>) or it is not due.
    /// </summary>
    public async Task<bool> CompleteIfDueAsync(Guid deliveryId, bool skipLocked, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var rows = skipLocked
            ? await db.StorefrontDeliveries.FromSql($"SELECT * FROM storefront_deliveries WHERE id = {deliveryId} FOR UPDATE SKIP LOCKED").ToListAsync(cancellationToken)
            : await db.StorefrontDeliveries.FromSql($"SELECT * FROM storefront_deliveries WHERE id = {deliveryId} FOR UPDATE").ToListAsync(cancellationToken);
        var delivery = rows.SingleOrDefault();
        if (delivery is null || delivery.Status != DeliveryStatuses.Scheduled || delivery.ReadyAt > now)
            return false;
        var card = delivery.CardId is null ? null
            : await db.StorefrontCards.SingleOrDefaultAsync(c => c.Id == delivery.CardId && c.OwnerId == delivery.OwnerId, cancellationToken);
        if (card is null)
            Fail(delivery, DeliveryFailureReasons.CardDeleted, now);
        else if (!card.Enabled)
            Fail(delivery, DeliveryFailureReasons.CardDisabled, now);
        else
            await AssignAsync(delivery, card, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The ids of scheduled deliveries that are due, oldest first.</summary>
    public Task<List<Guid>> DueAsync(int limit, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return db.StorefrontDeliveries.Where(d => d.Status == DeliveryStatuses.Scheduled && d.ReadyAt <= now)
            .OrderBy(d => d.ReadyAt).Select(d => d.Id).Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The card an order gets: the card named by <paramref name="itemId"/>, else the first rule (highest priority, then
    /// longest keyword) whose keyword the title contains; among that card's variants (same name) the one whose spec
    /// matches the order's spec after normalisation.
    /// </summary>
    public async Task<(StorefrontCard? Card, string? FailureReason)> ResolveCardAsync(Guid ownerId, string? itemTitle, Guid? itemId,
        string? spec, CancellationToken cancellationToken)
    {
        StorefrontCard? card = null;
        if (itemId is { } cardId)
            card = await db.StorefrontCards.AsNoTracking().SingleOrDefaultAsync(c => c.Id == cardId && c.OwnerId == ownerId, cancellationToken);
        else if (!string.IsNullOrWhiteSpace(itemTitle))
        {
            var title = StorefrontText.SpecKey(itemTitle);
            var rules = await db.StorefrontRules.AsNoTracking().Where(r => r.OwnerId == ownerId)
                .OrderByDescending(r => r.Priority).ThenByDescending(r => r.Keyword.Length).ThenBy(r => r.CreatedAt).ToListAsync(cancellationToken);
            var rule = rules.FirstOrDefault(r => title.Contains(StorefrontText.SpecKey(r.Keyword), StringComparison.Ordinal));
            if (rule is not null)
                card = await db.StorefrontCards.AsNoTracking().SingleOrDefaultAsync(c => c.Id == rule.CardId && c.OwnerId == ownerId, cancellationToken);
        }
        if (card is null)
            return (null, DeliveryFailureReasons.NoMatchingCard);

        if (!string.IsNullOrWhiteSpace(spec))
        {
            if (!StorefrontText.SpecMatches(spec, card.SpecName, card.SpecValue))
            {
                var variants = await db.StorefrontCards.AsNoTracking()
                    .Where(c => c.OwnerId == ownerId && c.Name == card.Name && c.SpecValue != null).ToListAsync(cancellationToken);
                var variant = variants.Where(c => StorefrontText.SpecMatches(spec, c.SpecName, c.SpecValue))
                    .OrderByDescending(c => c.Enabled).FirstOrDefault();
                if (variant is not null)
                    card = variant;
                else if (card.SpecValue is not null || variants.Count > 0)
                    return (null, DeliveryFailureReasons.NoMatchingSpec); // a multi-spec item without this spec
            }
        }
        return card.Enabled ? (card, null) : (null, DeliveryFailureReasons.CardDisabled);
    }

    /// <summary>What an order would receive now, without consuming anything (no api call is made either).</summary>
    public async Task<DryRunResult> DryRunAsync(Guid ownerId, string? itemTitle, Guid? itemId, string? spec, int quantity, CancellationToken cancellationToken)
    {
        var (card, failure) = await ResolveCardAsync(ownerId, itemTitle, itemId, spec, cancellationToken);
        if (card is null)
            return new DryRunResult(null, null, null, 0, failure, null, []);
        var values = new DeliveryPlaceholders("DRY-RUN", "DRY-RUN-BUYER", itemTitle, spec, quantity);
        var now = clock.GetUtcNow();
        List<string> stock;
        switch (card.Type)
        {
            case CardTypes.Serial:
                stock = await AvailableSerials(ownerId, card.PlanId, now).OrderBy(s => s.ValidUntil).ThenBy(s => s.SerialId)
                    .Select(s => s.FullCode).Take(quantity).ToListAsync(cancellationToken);
                break;
            case CardTypes.Data:
                stock = await db.StorefrontPoolLines.Where(l => l.CardId == card.Id && l.DeliveredAt == null).OrderBy(l => l.Id)
                    .Select(l => l.Content).Take(quantity).ToListAsync(cancellationToken);
                break;
            default:
                var single = Single(card, values);
                return new DryRunResult(card.Id, card.Name, card.Type, card.DelaySeconds, null, null, Enumerable.Repeat(single, quantity).ToList());
        }
        var available = await CountStockAsync(card, now, cancellationToken);
        var items = stock.Select(s => Wrap(card, values, s)).ToList();
        return new DryRunResult(card.Id, card.Name, card.Type, card.DelaySeconds,
            items.Count < quantity ? DeliveryFailureReasons.OutOfStock : null, available, items);
    }

    public IQueryable<StockSerial> AvailableSerials(Guid ownerId, Guid? planId, DateTimeOffset now) =>
        db.StockSerials.Where(s => s.DistributorId == ownerId && s.PlanId == planId && s.DeliveredAt == null && s.RedeemedAt == null && s.ValidUntil > now);

    public async Task<int> CountStockAsync(StorefrontCard card, DateTimeOffset now, CancellationToken cancellationToken) => card.Type switch
    {
        CardTypes.Serial => await AvailableSerials(card.OwnerId, card.PlanId, now).CountAsync(cancellationToken),
        CardTypes.Data => await db.StorefrontPoolLines.CountAsync(l => l.CardId == card.Id && l.DeliveredAt == null, cancellationToken),
        _ => 0,
    };

    /// <summary>Opens an alert when a stocked card is below its threshold (one open per card), resolves it when it is not.</summary>
    public async Task CheckStockAsync(StorefrontCard card, CancellationToken cancellationToken)
    {
        if (card.Type is not (CardTypes.Serial or CardTypes.Data))
            return;
        var now = clock.GetUtcNow();
        var remaining = await CountStockAsync(card, now, cancellationToken);
        if (card.LowStockThreshold > 0 && remaining < card.LowStockThreshold)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO storefront_low_stock_alerts (id, owner_id, card_id, remaining, threshold, raised_at)
                VALUES ({Guid.CreateVersion7()}, {card.OwnerId}, {card.Id}, {remaining}, {card.LowStockThreshold}, {now})
                ON CONFLICT (card_id) WHERE resolved_at IS NULL DO UPDATE SET remaining = excluded.remaining
                """, cancellationToken);
        }
        else
        {
            await db.StorefrontLowStockAlerts.Where(a => a.CardId == card.Id && a.ResolvedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.ResolvedAt, now).SetProperty(a => a.Remaining, remaining), cancellationToken);
        }
    }

    private async Task AssignAsync(StorefrontDelivery delivery, StorefrontCard card, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var values = new DeliveryPlaceholders(delivery.ExternalOrderId, delivery.BuyerId, delivery.ItemTitle, delivery.Spec, delivery.Quantity);
        var n = delivery.Quantity;
        var contents = new List<string>(n);
        switch (card.Type)
        {
            case CardTypes.Serial:
            {
                if (card.PlanId is not { } planId)
                {
                    Fail(delivery, DeliveryFailureReasons.CardMisconfigured, now);
                    return;
                }
                var picked = await db.Database.SqlQuery<PickedSerial>($"""
                    SELECT serial_id AS "Id", full_code AS "Content" FROM stock_serials
                    WHERE distributor_id = {delivery.OwnerId} AND plan_id = {planId} AND delivered_at IS NULL AND redeemed_at IS NULL AND valid_until > {now}
                    ORDER BY valid_until, serial_id LIMIT {n} FOR UPDATE SKIP LOCKED
                    """).ToListAsync(cancellationToken);
                if (picked.Count < n)
                {
                    Fail(delivery, DeliveryFailureReasons.OutOfStock, now); // nothing marked: the locks go with the transaction
                    return;
                }
                var ids = picked.Select(p => p.Id).ToArray();
                await db.Database.ExecuteSqlAsync(
                    $"UPDATE stock_serials SET delivery_id = {delivery.Id}, delivered_at = {now} WHERE serial_id = ANY({ids})", cancellationToken);
                contents.AddRange(picked.Select(p => Wrap(card, values, p.Content)));
                break;
            }
            case CardTypes.Data:
            {
                var picked = await db.Database.SqlQuery<PickedLine>($"""
                    SELECT id AS "Id", content AS "Content" FROM storefront_pool_lines
                    WHERE card_id = {card.Id} AND delivered_at IS NULL
                    ORDER BY id LIMIT {n} FOR UPDATE SKIP LOCKED
                    """).ToListAsync(cancellationToken);
                if (picked.Count < n)
                {
                    Fail(delivery, DeliveryFailureReasons.OutOfStock, now);
                    return;
                }
                var ids = picked.Select(p => p.Id).ToArray();
                await db.Database.ExecuteSqlAsync(
                    $"UPDATE storefront_pool_lines SET delivery_id = {delivery.Id}, delivered_at = {now} WHERE id = ANY({ids})", cancellationToken);
                contents.AddRange(picked.Select(p => Wrap(card, values, p.Content)));
                break;
            }
            case CardTypes.Api:
                for (var i = 0; i < n; i++)
                {
                    var answer = await apiCaller.CallAsync(card, values, cancellationToken);
                    if (answer is null)
                    {
                        Fail(delivery, DeliveryFailureReasons.ApiFailed, now);
                        return;
                    }
                    contents.Add(Wrap(card, values, answer));
                }
                break;
            default:
                contents.AddRange(Enumerable.Repeat(Single(card, values), n));
                break;
        }
        delivery.Items.AddRange(contents.Select((content, i) => new StorefrontDeliveryItem { DeliveryId = delivery.Id, Position = i + 1, Content = content }));
        delivery.Status = DeliveryStatuses.Delivered;
        delivery.CompletedAt = now;
        db.CountDelivery(DeliveryStatuses.Delivered);
        await CheckStockAsync(card, cancellationToken);
    }

    private static string Single(StorefrontCard card, DeliveryPlaceholders values) => card.Type switch
    {
        CardTypes.Image => card.Template is null ? card.ImageUrl! : StorefrontText.Render(card.Template, values with { DeliveryContent = card.ImageUrl }),
        CardTypes.Api => StorefrontText.Render(card.ApiUrl ?? "", values, Uri.EscapeDataString), // dry run: the URL that would be called
        _ => StorefrontText.Render(card.Template ?? "", values),
    };

    // Stock and api answers go out as they are, or inside the card's template as {DELIVERY_CONTENT}.
    private static string Wrap(StorefrontCard card, DeliveryPlaceholders values, string content) =>
        string.IsNullOrEmpty(card.Template) ? content : StorefrontText.Render(card.Template, values with { DeliveryContent = content });

    private void Fail(StorefrontDelivery delivery, string reason, DateTimeOffset now)
    {
        db.CountDelivery(DeliveryStatuses.Failed);
        delivery.Status = DeliveryStatuses.Failed;
        delivery.FailureReason = reason;
        delivery.CompletedAt = now;
    }

    private sealed class PickedSerial
    {
        public Guid Id { get; set; }
        public string Content { get; set; } = "";
    }

    private sealed class PickedLine
    {
        public long Id { get; set; }
        public string Content { get; set; } = "";
    }
}
