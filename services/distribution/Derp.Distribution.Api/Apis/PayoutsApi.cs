namespace Derp.Distribution.Api.Apis;

public static class PayoutsApi
{
    // Filled in by the helper that owns this area (see /work/wt/briefs/distribution-api.md).
    public static IEndpointRouteBuilder MapPayoutsApi(this IEndpointRouteBuilder routes) => routes;
}
