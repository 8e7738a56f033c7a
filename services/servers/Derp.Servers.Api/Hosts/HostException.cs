namespace Derp.Servers.Api.Hosts;

/// <summary>A host could not do what was asked; names the host and the operation so an operator can act on it.</summary>
public sealed class HostException(string host, string operation, string message, bool hostKeyRejected = false, Exception? inner = null)
    : Exception($"{host}: {operation} failed: {message}", inner)
{
    public string Host { get; } = host;
    public string Operation { get; } = operation;
    /// <summary>The host presented a key other than the pinned one: never retried, never accepted.</summary>
    public bool HostKeyRejected { get; } = hostKeyRejected;

    /// <summary>
    /// The call did not reach the engine, lost its connection or timed out (the tunnel may be dead: only transport
    /// failures carry an inner exception), as opposed to an engine that answered with an error (a port in use, an
    /// unknown container), after which the tunnel is as good as before.
    /// </summary>
    public bool ConnectionLost => InnerException is not null;
}
