using Derp.Serials.Api.Apis;
using Derp.Serials.Api.Extensions;
using Derp.Serials.Api.Infrastructure;
using Derp.ServiceDefaults;
using Derp.ServiceDefaults.Persistence;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapSerialsAdminApi();
app.MapOverviewApi();
app.MapBatchesApi();
app.MapRedeemApi();
app.MapValidateApi();
app.MapDistributorSerialsApi();
app.MapBenchmarkBaseline();

await app.RunWithMigrationsAsync<SerialsContext>(args);

public partial class Program;
