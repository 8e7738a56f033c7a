using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Derp.ServiceDefaults.Problems;

/// <summary>RFC 7807 results that always carry a stable <c>code</c> extension.</summary>
public static class ApiProblems
{
    public static ProblemHttpResult Problem(int status, string code, string title, string? detail = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title,
            extensions: new Dictionary<string, object?> { ["code"] = code });

    public static ProblemHttpResult NotFound(string code, string title) => Problem(404, code, title);

    public static ProblemHttpResult Conflict(string code, string title, string? detail = null) => Problem(409, code, title, detail);

    public static ValidationProblem Validation(IDictionary<string, string[]> errors, string title = "One or more fields are invalid.") =>
        TypedResults.ValidationProblem(errors, title: title,
            extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.ValidationFailed });

    public static ValidationProblem Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>A 429 (or 423) problem with a Retry-After header in whole seconds.</summary>
    public static RetryAfterProblem RetryLater(int status, string code, string title, TimeSpan retryAfter) =>
        new(Problem(status, code, title, $"Try again in {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} seconds."), retryAfter);
}

public sealed class RetryAfterProblem(ProblemHttpResult inner, TimeSpan retryAfter) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => inner.StatusCode;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return inner.ExecuteAsync(httpContext);
    }
}
