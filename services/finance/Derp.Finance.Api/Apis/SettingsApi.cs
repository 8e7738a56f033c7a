namespace Derp.Finance.Api.Apis;

public static class SettingsApi
{
    // Filled in by the helper that owns this area (see /work/wt/briefs/finance-api.md).
    public static IEndpointRouteBuilder MapSettingsApi(this IEndpointRouteBuilder routes) => routes;
}
