using Derp.Distribution.Api.Model;
using Derp.ServiceDefaults.Audit;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Persistence;
using Derp.ServiceDefaults.Projections;
using Microsoft.EntityFrameworkCore;

namespace Derp.Distribution.Api.Infrastructure;

public sealed class DistributionContext(DbContextOptions<DistributionContext> options) : DbContext(options), IAuditedContext
{
    // Distributors and tiers
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();
    public DbSet<Tier> Tiers => Set<Tier>();
    public DbSet<Distributor> Distributors => Set<Distributor>();
    public DbSet<DistributorApplication> Applications => Set<DistributorApplication>();
    public DbSet<KnownUser> KnownUsers => Set<KnownUser>();

    // Serial requests
    public DbSet<PlanView> Plans => Set<PlanView>();
    public DbSet<SerialRequest> SerialRequests => Set<SerialRequest>();
    public DbSet<StockSerial> StockSerials => Set<StockSerial>();

    // Attribution, commissions, payouts
    public DbSet<Attribution> Attributions => Set<Attribution>();
    public DbSet<Commission> Commissions => Set<Commission>();
    public DbSet<Payout> Payouts => Set<Payout>();
    public DbSet<WalletTransfer> WalletTransfers => Set<WalletTransfer>();
    public DbSet<RefundedOrder> RefundedOrders => Set<RefundedOrder>();

    // Storefront
    public DbSet<StorefrontCard> StorefrontCards => Set<StorefrontCard>();
    public DbSet<StorefrontPoolLine> StorefrontPoolLines => Set<StorefrontPoolLine>();
    public DbSet<StorefrontRule> StorefrontRules => Set<StorefrontRule>();
    public DbSet<StorefrontApiKey> StorefrontApiKeys => Set<StorefrontApiKey>();
    public DbSet<StorefrontDelivery> StorefrontDeliveries => Set<StorefrontDelivery>();
    public DbSet<StorefrontDeliveryItem> StorefrontDeliveryItems => Set<StorefrontDeliveryItem>();
    public DbSet<StorefrontLowStockAlert> StorefrontLowStockAlerts => Set<StorefrontLowStockAlert>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DistributionContext).Assembly);
        modelBuilder.ApplyConfiguration(new PlanViewEntityTypeConfiguration());
        modelBuilder.ApplyConfiguration(new AuditEntryEntityTypeConfiguration());
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.ApplySnakeCaseNames();
    }
}
