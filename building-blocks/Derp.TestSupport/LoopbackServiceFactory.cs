using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.TestSupport;

/// <summary>
/// A service on a real loopback Kestrel port, with its own database: for tests where another process-like party (the
/// gateway, another service's HTTP client) must reach it by address rather than through an in-memory client.
/// </summary>
public class LoopbackServiceFactory<TProgram>(string name, params KeyValuePair<string, string?>[] settings)
    : ServiceFactory<TProgram>(name) where TProgram : class
{
    /// <summary>The service's base address, with a trailing slash, once started.</summary>
    public string Address { get; private set; } = "";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => settings;

    public override ValueTask InitializeAsync()
    {
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
        Address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
        return ValueTask.CompletedTask;
    }
}
