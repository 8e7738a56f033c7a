using Derp.Servers.Api.Model;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Derp.Servers.Api.Infrastructure;

public sealed class ServersContext(DbContextOptions<ServersContext> options) : DbContext(options)
{
    public DbSet<Server> Servers => Set<Server>();
    public DbSet<RelayContainer> Containers => Set<RelayContainer>();
    public DbSet<Renter> Renters => Set<Renter>();
    public DbSet<HostSample> HostSamples => Set<HostSample>();
    public DbSet<HostTrafficMonth> HostTrafficMonths => Set<HostTrafficMonth>();
    public DbSet<Alert> Alerts => Set<Alert>();
    public DbSet<RenterTrafficDay> RenterTrafficDays => Set<RenterTrafficDay>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ServersContext).Assembly);
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.ApplySnakeCaseNames();
    }
}
