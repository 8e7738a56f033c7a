using Derp.Servers.Api.Infrastructure;
using Derp.Servers.Api.Services;

namespace Derp.Servers.Api.Apis;

/// <summary>The dependencies of the servers endpoints, bundled for <c>[AsParameters]</c>.</summary>
public sealed record ServersServices(ServersContext Db, TimeProvider Clock, ReconcileSignal Reconcile, ILogger<ServersServices> Logger);

public static class ServerProblemCodes
{
    public const string ServerNotFound = "server_not_found";
    public const string ServerNameTaken = "server_name_taken";
    public const string HostKeyMismatch = "host_key_mismatch";
    public const string HostUnreachable = "host_unreachable";
    public const string ServerRemoved = "server_removed";
    public const string ContainerNotFound = "container_not_found";
    public const string ContainerRemoved = "container_removed";
    public const string AlertNotFound = "alert_not_found";
}
