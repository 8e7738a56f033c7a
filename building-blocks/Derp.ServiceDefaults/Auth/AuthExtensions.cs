using System.Security.Claims;
using System.Text;
using MassTransit;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Tokens;

namespace Derp.ServiceDefaults.Auth;

public static class AuthExtensions
{
    public const string RoleClaim = "role";
    public const string SubjectClaim = "sub";

    public static WebApplicationBuilder AddDerpAuthentication(this WebApplicationBuilder builder)
    {
        var jwt = builder.Configuration.GetSection(JwtOptions.Section).Get<JwtOptions>() ?? new JwtOptions();
        if (Encoding.UTF8.GetByteCount(jwt.SigningKey) < 32)
            throw new InvalidOperationException("Jwt:SigningKey must be configured with at least 32 bytes.");

        builder.Services.AddOptions<JwtOptions>().Bind(builder.Configuration.GetSection(JwtOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                options.TokenValidationParameters = TokenValidation(jwt);
                // A token whose session was ended (closure, role or password change, logout) fails here (ADR-006).
                options.AddSessionCheck();
            });
        builder.Services.AddSingleton<SessionRevocationCache>();
        builder.Services.AddBusObserver<SessionRevocationsBusObserver>();
        builder.Services.TryAddSingleton<ISessionRevocationSnapshot, SessionRevocationSnapshotFromUsers>();

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Renter, p => p.RequireClaim(RoleClaim, Roles.Renter))
            .AddPolicy(Policies.Distributor, p => p.RequireClaim(RoleClaim, Roles.Distributor))
            .AddPolicy(Policies.Admin, p => p.RequireClaim(RoleClaim, Roles.Admin, Roles.SuperAdmin))
            .AddPolicy(Policies.SuperAdmin, p => p.RequireClaim(RoleClaim, Roles.SuperAdmin))
            .AddPolicy(Policies.AdminOrDistributor, p => p.RequireClaim(RoleClaim, Roles.Distributor, Roles.Admin, Roles.SuperAdmin))
            .AddPolicy(Policies.Customer, p => p.RequireClaim(RoleClaim, Roles.Renter, Roles.Distributor));
        return builder;
    }

    public static TokenValidationParameters TokenValidation(JwtOptions jwt) => new()
    {
        ValidIssuer = jwt.Issuer,
        ValidAudience = jwt.Audience,
        IssuerSigningKey = SigningKey(jwt),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        NameClaimType = SubjectClaim,
        RoleClaimType = RoleClaim,
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    public static SymmetricSecurityKey SigningKey(JwtOptions jwt) => new(Encoding.UTF8.GetBytes(jwt.SigningKey));

    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(SubjectClaim), out var id) ? id : throw new InvalidOperationException("No subject claim.");

    public static bool IsAdmin(this ClaimsPrincipal user) => user.HasClaim(RoleClaim, Roles.Admin) || user.HasClaim(RoleClaim, Roles.SuperAdmin);
}
