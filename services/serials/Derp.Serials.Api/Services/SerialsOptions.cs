namespace Derp.Serials.Api.Services;

public sealed class SerialsOptions
{
    public const string Section = "Serials";

    public int DefaultValidDays { get; set; } = 30;

    /// <summary>Prefix of the batches made for distributors' paid serial requests.</summary>
    public string DistributorBatchPrefix { get; set; } = "D";

    /// <summary>How long a distributor's unused serials stay valid: they are paid stock to sell, not a giveaway.</summary>
    public int DistributorBatchValidDays { get; set; } = 365;

    /// <summary>Failed redemptions allowed per user and per IP in <see cref="RedeemFailureWindow"/> before 429.</summary>
    public int RedeemFailuresPerUser { get; set; } = 10;

    public int RedeemFailuresPerIp { get; set; } = 30;
    public TimeSpan RedeemFailureWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Validation calls per client IP and per code in <see cref="ValidateWindow"/>.</summary>
    public int ValidatePerIp { get; set; } = 120;

    public int ValidatePerCode { get; set; } = 60;
    public TimeSpan ValidateWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Base64 of 32 bytes: the AES-GCM key that protects data keys at rest. Never logged.</summary>
    public string? EncryptionKey { get; set; }

    /// <summary>The global data key (KERNAL_DATA_KEY, requirements §3.6) for batches without their own. Never logged.</summary>
    public string? DataKey { get; set; }

    /// <summary>PKCS#8 PEM of the ECDSA P-256 key that signs validation responses. Without it a key is generated per process.</summary>
    public string? SigningKeyPem { get; set; }

    /// <summary>Serials held in memory for validation (the recently used ones; see LicenceView and ADR-028).</summary>
    public int LicenceViewCapacity { get; set; } = 100_000;

    /// <summary>Exposes GET /api/validate/baseline (one PostgreSQL query) for the load script's comparison.</summary>
    public bool BenchmarkBaseline { get; set; }
}
