using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Derp.ServiceDefaults.Problems;

/// <summary>
/// Turns every exception into a problem response. Bad requests (malformed JSON, oversized bodies, wrong content
/// type) are the client's fault and say so; anything else is a 500 that reveals nothing but the request id.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, title) = exception switch
        {
            BadHttpRequestException { StatusCode: 413 } => (413, ProblemCodes.PayloadTooLarge, "The request body is too large."),
            BadHttpRequestException { StatusCode: 415 } => (415, ProblemCodes.UnsupportedMediaType, "The request body must be JSON."),
            BadHttpRequestException { InnerException: JsonException } => (400, ProblemCodes.MalformedJson, "The request body is not valid JSON for this endpoint."),
            BadHttpRequestException bad => (bad.StatusCode, ProblemCodes.ForStatus(bad.StatusCode), "The request is invalid."),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => (499, "client_closed_request", "The client closed the request."),
            _ => (500, ProblemCodes.InternalError, "An unexpected error occurred."),
        };

        if (status >= 500)
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        else
            logger.LogInformation("Rejected request {Method} {Path}: {Code}", httpContext.Request.Method, httpContext.Request.Path, code);

        httpContext.Response.StatusCode = status;
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = status is 400 && exception is BadHttpRequestException ? exception.Message : null,
            Extensions = { ["code"] = code },
        };
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }
}
