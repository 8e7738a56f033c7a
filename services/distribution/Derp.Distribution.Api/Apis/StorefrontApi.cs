namespace Derp.Distribution.Api.Apis;

public static class StorefrontApi
{
    // Filled in by the helper that owns this area (see /work/wt/briefs/distribution-api.md).
    public static IEndpointRouteBuilder MapStorefrontApi(this IEndpointRouteBuilder routes) => routes;
}
