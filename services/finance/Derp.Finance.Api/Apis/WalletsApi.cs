namespace Derp.Finance.Api.Apis;

public static class WalletsApi
{
    // Filled in by the helper that owns this area (see /work/wt/briefs/finance-api.md).
    public static IEndpointRouteBuilder MapWalletsApi(this IEndpointRouteBuilder routes) => routes;
}
