using Derp.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http;

namespace Derp.ServiceDefaults.Http;

/// <summary>
/// Refuses a declared body larger than the limit before anything reads it. Kestrel enforces the same limit on
/// bodies without a length; this also covers hosts that do not (the test server, another reverse proxy in front).
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, long maxBytes)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, ProblemCodes.PayloadTooLarge,
                "The request body is too large.", $"At most {maxBytes} bytes are accepted.").ExecuteAsync(context);
        }
        return next(context);
    }
}
