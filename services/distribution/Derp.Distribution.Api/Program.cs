using Derp.Distribution.Api.Apis;
using Derp.Distribution.Api.Extensions;
using Derp.Distribution.Api.Infrastructure;
using Derp.ServiceDefaults;
using Derp.ServiceDefaults.Persistence;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDistributorsApi();
app.MapTiersApi();
app.MapSerialRequestsApi();
app.MapCommissionsApi();
app.MapPayoutsApi();
app.MapStorefrontAdminApi();
app.MapStorefrontApi();

await app.RunWithMigrationsAsync<DistributionContext>(args);

public partial class Program;
