namespace Derp.Distribution.Api.Apis;

public static class StorefrontAdminApi
{
    // Filled in by the helper that owns this area (see /work/wt/briefs/distribution-api.md).
    public static IEndpointRouteBuilder MapStorefrontAdminApi(this IEndpointRouteBuilder routes) => routes;
}
