namespace Derp.Finance.Api.Apis;

public static class StatsApi
{
    // Filled in by the helper that owns this area (see /work/wt/briefs/finance-api.md).
    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder routes) => routes;
}
