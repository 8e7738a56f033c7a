namespace Derp.Finance.Api.Apis;

public static class SettlementApi
{
    // Filled in by the helper that owns this area (see /work/wt/briefs/finance-api.md).
    public static IEndpointRouteBuilder MapSettlementApi(this IEndpointRouteBuilder routes) => routes;
}
