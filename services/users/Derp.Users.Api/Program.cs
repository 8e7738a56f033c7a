using Derp.ServiceDefaults;
using Derp.ServiceDefaults.Persistence;
using Derp.Users.Api.Apis;
using Derp.Users.Api.Extensions;
using Derp.Users.Api.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapPasswordResetApi();
app.MapAuthApi();
app.MapMeApi();
app.MapUsersAdminApi();
app.MapAuditApi();
app.MapRentalsApi();
app.MapOverviewApi();

await app.RunWithMigrationsAsync<UsersContext>(args);

public partial class Program;
