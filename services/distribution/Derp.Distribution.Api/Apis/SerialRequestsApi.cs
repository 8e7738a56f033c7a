namespace Derp.Distribution.Api.Apis;

public static class SerialRequestsApi
{
    // Filled in by the helper that owns this area (see /work/wt/briefs/distribution-api.md).
    public static IEndpointRouteBuilder MapSerialRequestsApi(this IEndpointRouteBuilder routes) => routes;
}
