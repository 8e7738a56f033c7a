using Derp.Finance.Api.Model;
using Derp.ServiceDefaults.Audit;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Derp.Finance.Api.Infrastructure;

public sealed class FinanceContext(DbContextOptions<FinanceContext> options) : DbContext(options), IAuditedContext
{
    public DbSet<Plan> Plans => Set<Plan>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<Wallet> Wallets => Set<Wallet>();
    public DbSet<LedgerEntry> Ledger => Set<LedgerEntry>();
    public DbSet<Donation> Donations => Set<Donation>();
    public DbSet<Renter> Renters => Set<Renter>();
    public DbSet<FinanceSettings> Settings => Set<FinanceSettings>();
    public DbSet<PaymentAccount> PaymentAccounts => Set<PaymentAccount>();
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();
    public DbSet<SettlementCase> SettlementCases => Set<SettlementCase>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(FinanceContext).Assembly);
        modelBuilder.ApplyConfiguration(new AuditEntryEntityTypeConfiguration());
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.ApplySnakeCaseNames();
    }
}
