namespace Derp.Finance.Api.Apis;

public static class DonationsApi
{
    // Filled in by the helper that owns this area (see /work/wt/briefs/finance-api.md).
    public static IEndpointRouteBuilder MapDonationsApi(this IEndpointRouteBuilder routes) => routes;
}
