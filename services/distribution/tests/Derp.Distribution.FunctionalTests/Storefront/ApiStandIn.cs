using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Derp.Distribution.FunctionalTests.Storefront;

/// <summary>
/// An owner's card API as a small real Kestrel app on a loopback port: <c>/code?order=</c> answers
/// <c>{ data: { code } }</c>; <c>/slow-once</c> sleeps past the caller's timeout on its first call of a key; <c>/broken</c> answers 500.
/// It counts calls per path and key so tests can see retries.
/// </summary>
public sealed class ApiStandIn : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private WebApplication? _app;

    public Uri BaseUrl { get; private set; } = null!;

    public int Calls(string path, string key) => _calls.GetValueOrDefault($"{path}:{key}");

    public static async Task<ApiStandIn> StartAsync()
    {
        var standIn = new ApiStandIn();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/code", (string order, string? buyer) =>
        {
            standIn.Count("/code", order);
            return Results.Json(new { data = new { code = $"API-{order}-{buyer}" } });
        });
        app.MapPost("/code", async (HttpRequest request) =>
        {
            var body = await System.Text.Json.JsonDocument.ParseAsync(request.Body);
            var order = body.RootElement.GetProperty("order").GetString()!;
            standIn.Count("/code", order);
            return Results.Json(new { data = new { code = $"POST-{order}-{request.Headers["X-Shop"]}" } });
        });
        app.MapGet("/slow-once", async (string order, CancellationToken ct) =>
        {
            if (standIn.Count("/slow-once", order) == 1)
                await Task.Delay(TimeSpan.FromSeconds(5), ct);
            return Results.Json(new { code = $"LATE-{order}" });
        });
        app.MapGet("/broken", (string order) =>
        {
            standIn.Count("/broken", order);
            return Results.Problem(statusCode: 500);
        });
        await app.StartAsync();
        standIn._app = app;
        standIn.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return standIn;
    }

    private int Count(string path, string key) => _calls.AddOrUpdate($"{path}:{key}", 1, (_, n) => n + 1);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }
}
