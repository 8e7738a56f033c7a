namespace Derp.Finance.Api.Apis;

public static class OrdersAdminApi
{
    // Filled in by the helper that owns this area (see /work/wt/briefs/finance-api.md).
    public static IEndpointRouteBuilder MapOrdersAdminApi(this IEndpointRouteBuilder routes) => routes;
}
