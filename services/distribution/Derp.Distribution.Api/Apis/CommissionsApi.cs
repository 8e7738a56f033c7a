namespace Derp.Distribution.Api.Apis;

public static class CommissionsApi
{
    // Filled in by the helper that owns this area (see /work/wt/briefs/distribution-api.md).
    public static IEndpointRouteBuilder MapCommissionsApi(this IEndpointRouteBuilder routes) => routes;
}
