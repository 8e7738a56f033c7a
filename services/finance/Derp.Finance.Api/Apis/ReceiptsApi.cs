namespace Derp.Finance.Api.Apis;

public static class ReceiptsApi
{
    // Filled in by the helper that owns this area (see /work/wt/briefs/finance-api.md).
    public static IEndpointRouteBuilder MapReceiptsApi(this IEndpointRouteBuilder routes) => routes;
}
