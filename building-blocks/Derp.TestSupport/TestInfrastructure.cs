namespace Derp.TestSupport;

/// <summary>
/// Where the real infrastructure that `make test` starts (scripts/infra.sh) listens. Override with environment
/// variables to point the tests elsewhere.
/// </summary>
public static class TestInfrastructure
{
    public static string PostgresServer => Env("DERP_TEST_POSTGRES", "Host=127.0.0.1;Port=5432;Username=derp;Password=derp");
    /// <summary>The broker, on this test process's own virtual host (<see cref="TestVirtualHost"/>).</summary>
    public static string RabbitMq => TestVirtualHost.ConnectionString(RabbitMqServer);

    public static string RabbitMqServer => Env("DERP_TEST_RABBITMQ", "amqp://guest:guest@127.0.0.1:5672/");
    public static string RabbitMqManagement => Env("DERP_TEST_RABBITMQ_MANAGEMENT", "http://guest:guest@127.0.0.1:15672/");
    public static string Redis => Env("DERP_TEST_REDIS", "127.0.0.1:6379");
    public static string SmtpHost => Env("DERP_TEST_SMTP_HOST", "127.0.0.1");
    public static int SmtpPort => int.Parse(Env("DERP_TEST_SMTP_PORT", "2525"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The maildir the SMTP sink writes to (one file per mail under new/); machine-wide, like its port.</summary>
    public static string MailDirectory => Env("DERP_MAIL_DIR", "/var/tmp/derp/mail");

    /// <summary>SSH material scripts/relay-hosts.sh prepares: host key, the platform's key pair, authorized_keys.</summary>
    public static string SshDirectory => Env("DERP_SSH_DIR", "/var/tmp/derp/ssh");

    /// <summary>This machine's Docker-compatible engine (podman), which the loopback sshd instances front.</summary>
    public static string DockerSocket => Env("DERP_TEST_DOCKER_SOCKET", "/run/podman/podman.sock");

    /// <summary>A 32+ byte key used only by tests.</summary>
    public const string JwtSigningKey = "test-signing-key-that-is-long-enough-0123456789";

    private static string Env(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}
