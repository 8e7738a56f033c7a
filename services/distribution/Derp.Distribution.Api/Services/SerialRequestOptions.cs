namespace Derp.Distribution.Api.Services;

/// <summary>Settings of serial requests (section <c>Distribution</c>).</summary>
public sealed class SerialRequestOptions
{
    public const string Section = "Distribution";

    /// <summary>How long a distributor has to pay an approved request before it expires (and its order is cancelled).</summary>
    public int RequestPaymentHours { get; set; } = 48;

    public TimeSpan PaymentWindow => TimeSpan.FromHours(RequestPaymentHours);
}
