using Derp.Acl.Api.Model;
using Derp.Acl.Api.Services;

namespace Derp.Acl.Api.Apis;

public static class AdmissionApi
{
    /// <summary>
    /// derper's <c>-verify-client-url</c>. Anonymous at the edge: the relay's own token in the URL is the credential.
    /// Every refusal, a bad token included, is an ordinary <c>{"Allow":false}</c> so derper refuses the client.
    /// </summary>
    public static void MapAdmissionApi(this IEndpointRouteBuilder routes) =>
        routes.MapPost("api/acl/derp/admit", Admit).WithTags("Relay admission").AllowAnonymous();

    public static async Task<AdmitResponse> Admit(AdmitRequest request, string? token, AdmissionService admission, CancellationToken cancellationToken)
    {
        var decision = await admission.DecideAsync(token, request.NodePublic, request.Source, cancellationToken);
        return new AdmitResponse(decision.Allow);
    }
}
