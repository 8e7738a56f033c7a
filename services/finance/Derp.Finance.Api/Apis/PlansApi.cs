namespace Derp.Finance.Api.Apis;

public static class PlansApi
{
    // Filled in by the helper that owns this area (see /work/wt/briefs/finance-api.md).
    public static IEndpointRouteBuilder MapPlansApi(this IEndpointRouteBuilder routes) => routes;
}
