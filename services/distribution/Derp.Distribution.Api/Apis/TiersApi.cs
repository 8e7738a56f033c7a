namespace Derp.Distribution.Api.Apis;

public static class TiersApi
{
    // Filled in by the helper that owns this area (see /work/wt/briefs/distribution-api.md).
    public static IEndpointRouteBuilder MapTiersApi(this IEndpointRouteBuilder routes) => routes;
}
