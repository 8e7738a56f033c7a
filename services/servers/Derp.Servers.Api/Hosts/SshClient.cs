using System.Diagnostics;
using System.Security.Cryptography;
using Derp.Servers.Api.Services;
using Microsoft.Extensions.Options;

namespace Derp.Servers.Api.Hosts;

/// <summary>How to reach one host over SSH: the private key (decrypted, in memory) and the pinned host key.</summary>
public sealed record SshTarget(Guid ServerId, string Name, string Host, int Port, string User, string PrivateKey, string HostKey);

/// <summary>
/// The OpenSSH client as a process (no SSH library restores here; ADR-005). Always batch mode with the pinned host
/// key in a known_hosts file of its own and strict checking, so a changed key is refused, never learned.
/// </summary>
public sealed class SshClient(IOptions<ServersOptions> options, ILogger<SshClient> logger)
{
    private readonly ServersOptions _options = options.Value;

    /// <summary>The files of one host: 0600 private key, known_hosts with exactly the pinned key, the tunnel's socket.</summary>
    public string PrepareFiles(SshTarget target)
    {
        var directory = Path.Combine(_options.RuntimeDirectory, target.ServerId.ToString("N")[..12]);
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var key = Path.Combine(directory, "key");
        var normalizedKey = target.PrivateKey.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n";
        if (!File.Exists(key) || File.ReadAllText(key) != normalizedKey)
        {
            File.WriteAllText(key, normalizedKey);
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.WriteAllText(Path.Combine(directory, "known_hosts"), $"{KnownHostsName(target.Host, target.Port)} {target.HostKey}\n");
        return directory;
    }

    public static string KnownHostsName(string host, int port) => port == 22 ? host : $"[{host}]:{port}";

    public List<string> BaseArguments(SshTarget target, string directory) =>
    [
        "-o", "BatchMode=yes",
        "-o", "StrictHostKeyChecking=yes",
        "-o", $"UserKnownHostsFile={Path.Combine(directory, "known_hosts")}",
        "-o", "GlobalKnownHostsFile=/dev/null",
        "-o", "IdentitiesOnly=yes",
        "-o", $"ConnectTimeout={(int)_options.SshConnectTimeout.TotalSeconds}",
        "-o", "LogLevel=ERROR",
        "-i", Path.Combine(directory, "key"),
        "-p", target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "-l", target.User,
    ];

    /// <summary>A fresh connection (no multiplexing, so a dead sshd shows) that runs <c>true</c>: reachability and latency.</summary>
    public async Task<TimeSpan> PingAsync(SshTarget target, CancellationToken cancellationToken)
    {
        var directory = PrepareFiles(target);
        var arguments = BaseArguments(target, directory);
        arguments.AddRange(["-o", "ControlMaster=no", "-o", "ControlPath=none", target.Host, "true"]);
        var started = Stopwatch.GetTimestamp();
        await RunAsync(target, "ssh ping", arguments, cancellationToken);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Starts <c>ssh -N -L local.sock:remote.sock</c>: the Docker socket of the host, forwarded over one connection.</summary>
    public Process StartTunnel(SshTarget target, string directory, string localSocket, string remoteSocket)
    {
        File.Delete(localSocket);
        var arguments = BaseArguments(target, directory);
        arguments.AddRange([
            "-N", "-o", "ExitOnForwardFailure=yes", "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=3",
            "-o", "StreamLocalBindUnlink=yes", "-L", $"{localSocket}:{remoteSocket}", target.Host]);
        var process = Process.Start(StartInfo(arguments)) ?? throw new HostException(target.Name, "ssh tunnel", "ssh did not start");
        process.StandardInput.Close();
        return process;
    }

    /// <summary>Reads the host's key with ssh-keyscan and returns it only when its SHA-256 fingerprint is the pinned one.</summary>
    public async Task<string> FetchPinnedHostKeyAsync(string name, string host, int port, string pinnedFingerprint, CancellationToken cancellationToken)
    {
        var output = await RunProcessAsync(name, "ssh-keyscan", "ssh-keyscan",
            ["-T", ((int)_options.SshConnectTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
             "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), host], cancellationToken);
        var keys = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split(' ', 3))
            .Where(parts => parts.Length == 3)
            .Select(parts => $"{parts[1]} {parts[2]}")
            .ToList();
        if (keys.Count == 0)
            throw new HostException(name, "ssh-keyscan", $"no host key from {host}:{port}");
        return keys.FirstOrDefault(k => Fingerprint(k) == pinnedFingerprint)
            ?? throw new HostException(name, "host key check", $"the host presented {string.Join(", ", keys.Select(Fingerprint))}, not the pinned {pinnedFingerprint}", hostKeyRejected: true);
    }

    /// <summary>OpenSSH's SHA256 fingerprint of a public key line ("type base64").</summary>
    public static string Fingerprint(string publicKey)
    {
        var blob = Convert.FromBase64String(publicKey.Split(' ')[1]);
        return "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');
    }

    private Task<string> RunAsync(SshTarget target, string operation, List<string> arguments, CancellationToken cancellationToken) =>
        RunProcessAsync(target.Name, operation, "ssh", arguments, cancellationToken);

    private async Task<string> RunProcessAsync(string name, string operation, string fileName, List<string> arguments, CancellationToken cancellationToken)
    {
        var info = StartInfo(arguments);
        info.FileName = fileName;
        using var process = Process.Start(info) ?? throw new HostException(name, operation, $"{fileName} did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.SshConnectTimeout * 3);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new HostException(name, operation, "timed out");
        }
        var error = (await stderr).Trim();
        if (process.ExitCode != 0)
        {
            var rejected = error.Contains("Host key verification failed", StringComparison.Ordinal)
                || error.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED", StringComparison.Ordinal);
            logger.LogDebug("{Operation} on {Host} exited {Code}: {Error}", operation, name, process.ExitCode, error);
            throw new HostException(name, operation, error.Length > 0 ? error : $"exit code {process.ExitCode}", rejected);
        }
        return await stdout;
    }

    private static ProcessStartInfo StartInfo(List<string> arguments)
    {
        var info = new ProcessStartInfo("ssh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        return info;
    }
}
