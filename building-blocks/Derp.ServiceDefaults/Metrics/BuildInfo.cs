using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.Extensions.Hosting;

namespace Derp.ServiceDefaults.Metrics;

/// <summary>
/// <c>derp_build_info{version}</c> = 1: which build answers, so a dashboard can show a rollout and an alert can
/// name the version that misbehaves. The version is the application assembly's informational version.
/// </summary>
public sealed class BuildInfo
{
    public BuildInfo(IMeterFactory meters, IHostEnvironment environment)
    {
        Version = VersionOf(environment.ApplicationName);
        var meter = meters.Create("Derp.Build");
        meter.CreateObservableGauge("derp.build.info", () => new Measurement<int>(1, PlatformMetrics.Tag("version", Version)),
            description: "1, labelled with the running build's version.");
    }

    public string Version { get; }

    private static string VersionOf(string applicationName)
    {
        try
        {
            var assembly = Assembly.Load(new AssemblyName(applicationName));
            return assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? assembly.GetName().Version?.ToString() ?? "unknown";
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException or ArgumentException)
        {
            return "unknown";
        }
    }
}
