using Derp.Distribution.Api.Infrastructure;
using Derp.Finance.Api.Infrastructure;
using Derp.Acl.Api.Infrastructure;
using Derp.Serials.Api.Infrastructure;
using Derp.Servers.Api.Infrastructure;
using Derp.Users.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Derp.DesignTime;

// `dotnet ef migrations add` builds contexts here, so the services need no design-time package.
// The connection string is never opened by `migrations add`.
internal static class DesignTime
{
    public const string ConnectionString = "Host=127.0.0.1;Username=derp;Password=derp;Database=derp_design";

    public static DbContextOptions<T> Options<T>() where T : DbContext =>
        new DbContextOptionsBuilder<T>()
            .UseNpgsql(ConnectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history").MigrationsAssembly(typeof(T).Assembly.GetName().Name))
            .Options;
}

public sealed class UsersContextFactory : IDesignTimeDbContextFactory<UsersContext>
{
    public UsersContext CreateDbContext(string[] args) => new(DesignTime.Options<UsersContext>());
}

public sealed class SerialsContextFactory : IDesignTimeDbContextFactory<SerialsContext>
{
    public SerialsContext CreateDbContext(string[] args) => new(DesignTime.Options<SerialsContext>());
}

public sealed class AclContextFactory : IDesignTimeDbContextFactory<AclContext>
{
    public AclContext CreateDbContext(string[] args) => new(DesignTime.Options<AclContext>());
}

public sealed class ServersContextFactory : IDesignTimeDbContextFactory<ServersContext>
{
    public ServersContext CreateDbContext(string[] args) => new(DesignTime.Options<ServersContext>());
}

public sealed class FinanceContextFactory : IDesignTimeDbContextFactory<FinanceContext>
{
    public FinanceContext CreateDbContext(string[] args) => new(DesignTime.Options<FinanceContext>());
}

public sealed class DistributionContextFactory : IDesignTimeDbContextFactory<DistributionContext>
{
    public DistributionContext CreateDbContext(string[] args) => new(DesignTime.Options<DistributionContext>());
}
