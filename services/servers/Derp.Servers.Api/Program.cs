using Derp.Servers.Api.Apis;
using Derp.Servers.Api.Extensions;
using Derp.Servers.Api.Infrastructure;
using Derp.ServiceDefaults;
using Derp.ServiceDefaults.Persistence;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapRenterRelaysApi();
app.MapServersApi();
app.MapContainersApi();
app.MapOverviewApi();
app.MapPrometheusDiscoveryApi();

await app.RunWithMigrationsAsync<ServersContext>(args);

public partial class Program;
