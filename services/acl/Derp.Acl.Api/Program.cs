using Derp.Acl.Api.Apis;
using Derp.Acl.Api.Extensions;
using Derp.Acl.Api.Infrastructure;
using Derp.ServiceDefaults;
using Derp.ServiceDefaults.Persistence;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapPolicyApi();
app.MapAclAdminApi();
app.MapAdmissionApi();

await app.RunWithMigrationsAsync<AclContext>(args);

public partial class Program;
