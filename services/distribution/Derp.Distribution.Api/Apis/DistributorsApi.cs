namespace Derp.Distribution.Api.Apis;

public static class DistributorsApi
{
    // Filled in by the helper that owns this area (see /work/wt/briefs/distribution-api.md).
    public static IEndpointRouteBuilder MapDistributorsApi(this IEndpointRouteBuilder routes) => routes;
}
