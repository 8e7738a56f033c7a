using Derp.Users.Api.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derp.Users.Api.Infrastructure.EntityConfigurations;

public sealed class UserEntityTypeConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("Users");
        builder.Property(u => u.Email).HasMaxLength(254);
        builder.Property(u => u.NormalizedEmail).HasMaxLength(254);
        builder.Property(u => u.Username).HasMaxLength(32);
        builder.Property(u => u.NormalizedUsername).HasMaxLength(32);
        builder.Property(u => u.PasswordHash).HasMaxLength(200);
        builder.Property(u => u.Role).HasMaxLength(20);
        builder.Property(u => u.Language).HasMaxLength(10);
        builder.HasIndex(u => u.NormalizedEmail).IsUnique();
        builder.HasIndex(u => u.NormalizedUsername).IsUnique();
        builder.Property(u => u.Status).HasMaxLength(16);
        builder.Property(u => u.DeregistrationReason).HasMaxLength(200);
        builder.HasIndex(u => u.Role);
        builder.HasIndex(u => u.Status);
        builder.HasIndex(u => u.CreatedAt);
    }
}

public sealed class EmailVerificationEntityTypeConfiguration : IEntityTypeConfiguration<EmailVerification>
{
    public void Configure(EntityTypeBuilder<EmailVerification> builder)
    {
        builder.ToTable("EmailVerifications");
        builder.Property(v => v.CodeHash).HasMaxLength(100);
        builder.HasIndex(v => v.UserId);
        builder.HasOne<User>().WithMany().HasForeignKey(v => v.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class RefreshTokenEntityTypeConfiguration : IEntityTypeConfiguration<RefreshToken>
{
    public void Configure(EntityTypeBuilder<RefreshToken> builder)
    {
        builder.ToTable("RefreshTokens");
        builder.Property(t => t.TokenHash).HasMaxLength(100);
        builder.Property(t => t.CreatedByIp).HasMaxLength(64);
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasIndex(t => t.FamilyId);
        builder.HasIndex(t => t.UserId);
        builder.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class AuditEntryEntityTypeConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.Property(a => a.Action).HasMaxLength(40);
        builder.Property(a => a.Detail).HasMaxLength(1000);
        builder.Property(a => a.Ip).HasMaxLength(64);
        builder.Property(a => a.UserAgent).HasMaxLength(512);
        builder.HasIndex(a => new { a.UserId, a.CreatedAt });
        builder.HasIndex(a => new { a.Action, a.CreatedAt });
        builder.HasIndex(a => a.CreatedAt);
    }
}

public sealed class RentalEntityTypeConfiguration : IEntityTypeConfiguration<Rental>
{
    public void Configure(EntityTypeBuilder<Rental> builder)
    {
        builder.ToTable("Rentals");
        builder.Property(r => r.Status).HasMaxLength(16);
        builder.Ignore(r => r.ServiceState);
        builder.HasIndex(r => r.UserId).IsUnique();
        builder.HasIndex(r => new { r.Status, r.ExpiresAt });
        builder.HasOne<User>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class RentalPeriodEntityTypeConfiguration : IEntityTypeConfiguration<RentalPeriod>
{
    public void Configure(EntityTypeBuilder<RentalPeriod> builder)
    {
        builder.ToTable("RentalPeriods");
        builder.Property(p => p.Source).HasMaxLength(16);
        builder.HasIndex(p => p.SerialId).IsUnique();
        builder.HasIndex(p => p.OrderId).IsUnique();
        builder.HasIndex(p => new { p.RentalId, p.StartsAt });
        builder.HasOne<Rental>().WithMany().HasForeignKey(p => p.RentalId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class RentalReminderEntityTypeConfiguration : IEntityTypeConfiguration<RentalReminder>
{
    public void Configure(EntityTypeBuilder<RentalReminder> builder)
    {
        builder.ToTable("RentalReminders");
        builder.HasKey(r => new { r.RentalId, r.ExpiresAt, r.DaysBefore });
    }
}

public sealed class DeviceEntityTypeConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> builder)
    {
        builder.ToTable("Devices");
        builder.Property(d => d.Name).HasMaxLength(64);
        builder.Property(d => d.MachineCode).HasMaxLength(128);
        builder.Property(d => d.NodeKey).HasMaxLength(72);
        // A node key belongs to one renter: the relays admit it for that renter only.
        builder.HasIndex(d => d.NodeKey).IsUnique();
        builder.HasIndex(d => d.UserId);
        builder.HasOne<User>().WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class EmailMessageEntityTypeConfiguration : IEntityTypeConfiguration<OutgoingEmail>
{
    public void Configure(EntityTypeBuilder<OutgoingEmail> builder)
    {
        builder.ToTable("OutgoingEmails");
        builder.Property(m => m.Recipient).HasMaxLength(254);
        builder.Property(m => m.Template).HasMaxLength(40);
        builder.Property(m => m.Subject).HasMaxLength(300);
        builder.Property(m => m.Status).HasMaxLength(16);
        builder.Property(m => m.LastError).HasMaxLength(1000);
        builder.HasIndex(m => new { m.Status, m.NextAttemptAt });
        builder.HasIndex(m => new { m.UserId, m.CreatedAt });
    }
}

public sealed class SessionRevocationEntityTypeConfiguration : IEntityTypeConfiguration<SessionRevocation>
{
    public void Configure(EntityTypeBuilder<SessionRevocation> builder)
    {
        builder.ToTable("SessionRevocations");
        builder.Property(r => r.Reason).HasMaxLength(40);
        builder.HasIndex(r => r.RevokedAt);
        builder.HasIndex(r => r.UserId);
    }
}

public sealed class PasswordResetEntityTypeConfiguration : IEntityTypeConfiguration<PasswordReset>
{
    public void Configure(EntityTypeBuilder<PasswordReset> builder)
    {
        builder.ToTable("PasswordResets");
        builder.Property(r => r.CodeHash).HasMaxLength(100);
        builder.HasIndex(r => new { r.UserId, r.CreatedAt });
        builder.HasOne<User>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
