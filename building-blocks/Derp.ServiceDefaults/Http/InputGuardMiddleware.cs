using System.Text.Json;
using Derp.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Derp.ServiceDefaults.Http;

/// <summary>
/// Applies <see cref="InputRules"/> to everything a request carries before its endpoint runs (ADR-010): a body in a
/// charset other than UTF-8 is 415 <c>unsupported_media_type</c>; a NUL or other control character, or a date outside
/// the accepted range, in any JSON string (property names included), query value or route value is 400
/// <c>validation_failed</c> naming the field. Every service gets it from <c>UseServiceDefaults</c>, so an endpoint
/// added tomorrow is covered without doing anything, including endpoints that read their body themselves.
/// Runs after authorization: a caller who may not use an endpoint learns nothing about its input rules.
/// </summary>
public sealed class InputGuardMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var hasBody = request.ContentLength > 0
            || (request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true);

        if (hasBody && UnsupportedCharset(request.ContentType) is { } charset)
        {
            await ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, ProblemCodes.UnsupportedMediaType,
                "The request body must be UTF-8.", $"The charset '{charset}' is not accepted; send UTF-8.").ExecuteAsync(context);
            return;
        }

        var errors = new Dictionary<string, string[]>();
        foreach (var (key, values) in request.Query)
        {
            if (InputRules.HasDisallowedCharacters(key))
                errors.TryAdd("query", [InputRules.InvalidCharactersMessage]);
            foreach (var value in values)
                CheckText(errors, key, value);
        }
        foreach (var (key, value) in request.RouteValues)
        {
            if (value is string text)
                CheckText(errors, key, text);
        }
        if (errors.Count == 0 && hasBody)
            await CheckJsonBodyAsync(context, errors);

        if (errors.Count > 0)
        {
            await ApiProblems.Validation(errors).ExecuteAsync(context);
            return;
        }
        await next(context);
    }

    private static void CheckText(Dictionary<string, string[]> errors, string field, string? value)
    {
        if (value is null)
            return;
        if (InputRules.HasDisallowedCharacters(value))
            errors.TryAdd(field, [InputRules.InvalidCharactersMessage]);
        else if (InputRules.IsOutOfRangeDate(value))
            errors.TryAdd(field, [InputRules.DateRangeMessage]);
    }

    /// <summary>Null when the body is UTF-8 (or says nothing); else the charset it claims.</summary>
    private static string? UnsupportedCharset(string? contentType)
    {
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var mediaType) || !mediaType.Charset.HasValue)
            return null;
        var charset = mediaType.Charset.Value!; // quoted names too: the framework's own JSON reading cannot look them up
        return charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)
            ? null
            : charset;
    }

    /// <summary>
    /// Reads the body once (buffered, so the endpoint reads it again) and walks it as JSON whatever its declared type,
    /// because some endpoints deserialize their body themselves. A body that is not JSON is left to the endpoint.
    /// </summary>
    private static async Task CheckJsonBodyAsync(HttpContext context, Dictionary<string, string[]> errors)
    {
        var request = context.Request;
        request.EnableBuffering();
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        request.Body.Position = 0;
        if (buffer.Length > 0)
            CheckJson(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), errors);
    }

    internal static void CheckJson(ReadOnlySpan<byte> json, Dictionary<string, string[]> errors)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        // The path of each open object or array, as the client spelled it ("" for the root), and the property whose
        // value comes next.
        var containers = new Stack<string>();
        string? property = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        if (!TryReadText(ref reader, out var name) || InputRules.HasDisallowedCharacters(name))
                        {
                            errors.TryAdd(Field(containers, null), [InputRules.InvalidCharactersMessage]);
                            name = "?";
                        }
                        property = name;
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        containers.Push(containers.Count == 0 ? "" : Field(containers, property));
                        property = null;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        containers.Pop();
                        property = null;
                        break;
                    case JsonTokenType.String:
                        var field = Field(containers, property);
                        if (!TryReadText(ref reader, out var text) || InputRules.HasDisallowedCharacters(text))
                            errors.TryAdd(field, [InputRules.InvalidCharactersMessage]);
                        else if (reader.ValueSpan.Length is >= 10 and <= 64 && reader.TryGetDateTimeOffset(out var date) && !InputRules.IsAcceptedDate(date))
                            errors.TryAdd(field, [InputRules.DateRangeMessage]);
                        property = null;
                        break;
                    default:
                        property = null;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (or broken JSON): the endpoint's own reading answers with malformed_json or ignores it.
        }
    }

    private static bool TryReadText(ref Utf8JsonReader reader, out string text)
    {
        try
        {
            text = reader.GetString() ?? "";
            return true;
        }
        catch (InvalidOperationException)
        {
            text = ""; // an escaped lone surrogate: no UTF-8 text can hold it
            return false;
        }
    }

    private static string Field(Stack<string> containers, string? property)
    {
        var container = containers.Count == 0 ? "" : containers.Peek();
        return property is null ? (container.Length == 0 ? "body" : container)
            : container.Length == 0 ? property
            : container + "." + property;
    }
}

/// <summary>
/// API answers carry personal data or tokens: nothing on the way may keep them unless an endpoint says otherwise by
/// setting its own Cache-Control.
/// </summary>
public sealed class NoStoreApiResponsesMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            var response = context.Response;
            response.OnStarting(() =>
            {
                if (!response.Headers.ContainsKey(HeaderNames.CacheControl))
                    response.Headers.CacheControl = "no-store";
                return Task.CompletedTask;
            });
        }
        return next(context);
    }
}
