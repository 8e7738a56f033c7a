using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Derp.TestSupport;

/// <summary>
/// A real sshd on a loopback port, owned by one test: a DERP host stand-in in front of this machine's podman.
/// Stopping it kills the listener and every session it started, as a host going down would.
/// </summary>
public sealed class SshdProcess : IAsyncDisposable
{
    private Process? _process;
    private readonly string _directory;

    private SshdProcess(int port, string hostKeyPath, string directory)
    {
        Port = port;
        HostKeyPath = hostKeyPath;
        _directory = directory;
    }

    public int Port { get; }
    public string HostKeyPath { get; }

    /// <summary>The platform's private key that the stand-in hosts accept.</summary>
    public static string PrivateKey => File.ReadAllText(Path.Combine(TestInfrastructure.SshDirectory, "platform_ed25519"));

    public const string User = "derphost";

    /// <summary>OpenSSH's SHA256 fingerprint of this sshd's host key (what an admin pins).</summary>
    public string Fingerprint => FingerprintOf(File.ReadAllText(HostKeyPath + ".pub"));

    public static string FingerprintOf(string publicKeyLine)
    {
        var blob = Convert.FromBase64String(publicKeyLine.Trim().Split(' ')[1]);
        return "SHA256:" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(blob)).TrimEnd('=');
    }

    /// <param name="ownHostKey">A fresh host key instead of the machine's demo host key (a host that changed its key).</param>
    public static async Task<SshdProcess> StartAsync(int? port = null, bool ownHostKey = false)
    {
        var directory = Directory.CreateTempSubdirectory("derp-sshd-").FullName;
        var hostKey = Path.Combine(TestInfrastructure.SshDirectory, "host_ed25519_key");
        if (ownHostKey)
        {
            hostKey = Path.Combine(directory, "host_key");
            await RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey);
        }
        var sshd = new SshdProcess(port ?? FreePort(), hostKey, directory);
        await sshd.StartAsync();
        return sshd;
    }

    public async Task StartAsync()
    {
        var config = Path.Combine(_directory, "sshd_config");
        await File.WriteAllTextAsync(config, $"""
            Port {Port}
            ListenAddress 127.0.0.1
            HostKey {HostKeyPath}
            PidFile {Path.Combine(_directory, "sshd.pid")}
            AuthorizedKeysFile {Path.Combine(TestInfrastructure.SshDirectory, "authorized_keys")}
            AllowUsers {User}
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            AllowStreamLocalForwarding yes
            AllowTcpForwarding local
            X11Forwarding no
            PrintMotd no
            MaxStartups 100:30:200
            LogLevel ERROR

            """);
        Directory.CreateDirectory("/run/sshd");
        _process = Process.Start(new ProcessStartInfo("/usr/sbin/sshd", ["-D", "-f", config, "-E", Path.Combine(_directory, "sshd.log")])
        {
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("sshd did not start");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await ListensAsync())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"sshd on {Port} did not start: {await File.ReadAllTextAsync(Path.Combine(_directory, "sshd.log"))}");
            await Task.Delay(50);
        }
    }

    /// <summary>Kills the listener and its sessions (open tunnels included).</summary>
    public async Task StopAsync()
    {
        if (_process is null)
            return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    private async Task<bool> ListensAsync()
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { UseShellExecute = false, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"{file} did not start");
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} failed: {await process.StandardError.ReadToEndAsync()}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
