namespace Derp.Finance.Api.Apis;

public static class OrdersApi
{
    // Filled in by the helper that owns this area (see /work/wt/briefs/finance-api.md).
    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder routes) => routes;
}
