using Derp.Contracts.Distribution;
using Derp.Distribution.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derp.Distribution.Api.Infrastructure.EntityConfigurations;

public sealed class StorefrontCardEntityTypeConfiguration : IEntityTypeConfiguration<StorefrontCard>
{
    public void Configure(EntityTypeBuilder<StorefrontCard> builder)
    {
        builder.ToTable("StorefrontCards", t => t.HasCheckConstraint("ck_storefront_cards_type",
            $"type IN ({string.Join(", ", CardTypes.All.Select(c => $"'{c}'"))})"));
        builder.Property(c => c.Name).HasMaxLength(100);
        builder.Property(c => c.Type).HasMaxLength(16);
        builder.Property(c => c.SpecName).HasMaxLength(50);
        builder.Property(c => c.SpecValue).HasMaxLength(100);
        builder.Property(c => c.ApiMethod).HasMaxLength(10);
        builder.HasIndex(c => new { c.OwnerId, c.Name });
    }
}

public sealed class StorefrontPoolLineEntityTypeConfiguration : IEntityTypeConfiguration<StorefrontPoolLine>
{
    public void Configure(EntityTypeBuilder<StorefrontPoolLine> builder)
    {
        builder.ToTable("StorefrontPoolLines");
        builder.HasOne<StorefrontCard>().WithMany().HasForeignKey(l => l.CardId).OnDelete(DeleteBehavior.Cascade);
        // The delivery engine picks a card's undelivered lines in order.
        builder.HasIndex(l => new { l.CardId, l.Id }).HasFilter("delivered_at IS NULL").HasDatabaseName("ix_storefront_pool_lines_available");
        builder.HasIndex(l => l.DeliveryId);
    }
}

public sealed class StorefrontRuleEntityTypeConfiguration : IEntityTypeConfiguration<StorefrontRule>
{
    public void Configure(EntityTypeBuilder<StorefrontRule> builder)
    {
        builder.ToTable("StorefrontRules");
        builder.Property(r => r.Keyword).HasMaxLength(100);
        builder.HasOne<StorefrontCard>().WithMany().HasForeignKey(r => r.CardId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.OwnerId, r.Priority });
    }
}

public sealed class StorefrontApiKeyEntityTypeConfiguration : IEntityTypeConfiguration<StorefrontApiKey>
{
    public void Configure(EntityTypeBuilder<StorefrontApiKey> builder)
    {
        builder.ToTable("StorefrontApiKeys");
        builder.Property(k => k.Name).HasMaxLength(100);
        builder.Property(k => k.Prefix).HasMaxLength(32);
        builder.Property(k => k.Hash).HasMaxLength(64);
        builder.HasIndex(k => k.Prefix).IsUnique();
        builder.HasIndex(k => k.OwnerId);
    }
}

public sealed class StorefrontDeliveryEntityTypeConfiguration : IEntityTypeConfiguration<StorefrontDelivery>
{
    public void Configure(EntityTypeBuilder<StorefrontDelivery> builder)
    {
        builder.ToTable("StorefrontDeliveries");
        builder.Property(d => d.Channel).HasMaxLength(50);
        builder.Property(d => d.ExternalOrderId).HasMaxLength(100);
        builder.Property(d => d.Status).HasMaxLength(16);
        builder.Property(d => d.FailureReason).HasMaxLength(64);
        // Idempotency: one delivery per shop order, however often (and however concurrently) the bot asks.
        builder.HasIndex(d => new { d.OwnerId, d.Channel, d.ExternalOrderId }).IsUnique();
        builder.HasIndex(d => new { d.OwnerId, d.CreatedAt });
        builder.HasIndex(d => d.ReadyAt).HasFilter($"status = '{DeliveryStatuses.Scheduled}'").HasDatabaseName("ix_storefront_deliveries_due");
        builder.HasMany(d => d.Items).WithOne().HasForeignKey(i => i.DeliveryId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class StorefrontDeliveryItemEntityTypeConfiguration : IEntityTypeConfiguration<StorefrontDeliveryItem>
{
    public void Configure(EntityTypeBuilder<StorefrontDeliveryItem> builder)
    {
        builder.ToTable("StorefrontDeliveryItems");
        builder.HasIndex(i => new { i.DeliveryId, i.Position }).IsUnique();
    }
}

public sealed class StorefrontLowStockAlertEntityTypeConfiguration : IEntityTypeConfiguration<StorefrontLowStockAlert>
{
    public void Configure(EntityTypeBuilder<StorefrontLowStockAlert> builder)
    {
        builder.ToTable("StorefrontLowStockAlerts");
        // One open alert per card.
        builder.HasIndex(a => a.CardId).IsUnique().HasFilter("resolved_at IS NULL").HasDatabaseName("ix_storefront_low_stock_alerts_open");
        builder.HasIndex(a => new { a.OwnerId, a.RaisedAt });
    }
}
