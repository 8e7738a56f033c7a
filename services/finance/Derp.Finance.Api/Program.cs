using Derp.Finance.Api.Apis;
using Derp.Finance.Api.Extensions;
using Derp.Finance.Api.Infrastructure;
using Derp.ServiceDefaults;
using Derp.ServiceDefaults.Persistence;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapPlansApi();
app.MapOrdersApi();
app.MapOrdersAdminApi();
app.MapReceiptsApi();
app.MapWalletsApi();
app.MapDonationsApi();
app.MapStatsApi();
app.MapSettingsApi();
app.MapSettlementApi();
app.MapPaymentNotificationsApi();

await app.RunWithMigrationsAsync<FinanceContext>(args);

public partial class Program;
