using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Derp.Users.FunctionalTests;

/// <summary>
/// A minimal Kestrel app on a free loopback port answering finance's internal settlement endpoint as finance does
/// (<c>GET /internal/settlement/{userId}</c> -> <c>{ userId, settled, blockers, balanceCents }</c>), so users' real HTTP
/// client is tested over a real socket without the finance service. Unknown accounts are settled.
/// </summary>
public sealed class FinanceStandIn : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, Func<Guid, IResult>> _answers = new();
    private WebApplication? _app;

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<FinanceStandIn> StartAsync()
    {
        var standIn = new FinanceStandIn();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/internal/settlement/{userId:guid}", (Guid userId) =>
            standIn._answers.TryGetValue(userId, out var answer) ? answer(userId) : Settlement(userId, true, [], 0));
        await app.StartAsync();
        standIn._app = app;
        standIn.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return standIn;
    }

    public void Settled(Guid userId) => _answers[userId] = id => Settlement(id, true, [], 0);

    public void Unsettled(Guid userId, long balanceCents, params string[] blockers) =>
        _answers[userId] = id => Settlement(id, false, blockers, balanceCents);

    public void Fails(Guid userId) => _answers[userId] = _ => Results.Problem(statusCode: 500);

    public void AnswersGarbage(Guid userId) => _answers[userId] = _ => Results.Text("<html>upstream down</html>", "text/html");

    private static IResult Settlement(Guid userId, bool settled, string[] blockers, long balanceCents) =>
        Results.Json(new { userId, settled, blockers, balanceCents });

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }
}
