using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Persistence;
using Derp.Users.Api.Model;
using Microsoft.EntityFrameworkCore;

namespace Derp.Users.Api.Infrastructure;

public sealed class UsersContext(DbContextOptions<UsersContext> options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();
    public DbSet<EmailVerification> EmailVerifications => Set<EmailVerification>();
    public DbSet<PasswordReset> PasswordResets => Set<PasswordReset>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Rental> Rentals => Set<Rental>();
    public DbSet<RentalPeriod> RentalPeriods => Set<RentalPeriod>();
    public DbSet<RentalReminder> RentalReminders => Set<RentalReminder>();
    public DbSet<Device> Devices => Set<Device>();
    public DbSet<OutgoingEmail> OutgoingEmails => Set<OutgoingEmail>();
    public DbSet<SessionRevocation> SessionRevocations => Set<SessionRevocation>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(UsersContext).Assembly);
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.ApplySnakeCaseNames();
    }
}
