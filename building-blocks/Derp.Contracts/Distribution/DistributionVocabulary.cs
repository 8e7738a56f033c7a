namespace Derp.Contracts.Distribution;

// Vocabularies: the strings distribution stores, publishes and serves (ADR-013).

public static class ApplicationStatuses
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";

    public static readonly IReadOnlyList<string> All = [Pending, Approved, Rejected];
}

public static class DistributorStatuses
{
    public const string Active = "active";
    public const string Suspended = "suspended";

    public static readonly IReadOnlyList<string> All = [Active, Suspended];
}

/// <summary>The default tiers (requirements §9.1); tiers are data, these are their codes.</summary>
public static class TierCodes
{
    public const string Gold = "gold";
    public const string WhiteGold = "white_gold";
    public const string Platinum = "platinum";

    public static readonly IReadOnlyList<string> All = [Gold, WhiteGold, Platinum];
}

public static class SerialRequestStatuses
{
    public const string Requested = "requested";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Paid = "paid";
    public const string Issued = "issued";
    public const string Cancelled = "cancelled";
    public const string Expired = "expired";

    public static readonly IReadOnlyList<string> All = [Requested, Approved, Rejected, Paid, Issued, Cancelled, Expired];
}

public static class CommissionStatuses
{
    public const string Pending = "pending";
    public const string Available = "available";
    public const string Locked = "locked";
    public const string Paid = "paid";
    public const string Reversed = "reversed";

    public static readonly IReadOnlyList<string> All = [Pending, Available, Locked, Paid, Reversed];
}

public static class PayoutStatuses
{
    public const string Requested = "requested";
    public const string Paid = "paid";
    public const string Rejected = "rejected";

    public static readonly IReadOnlyList<string> All = [Requested, Paid, Rejected];
}

/// <summary>Storefront delivery items (seed 003's card types).</summary>
public static class CardTypes
{
    /// <summary>One serial of a plan from the owner's paid, unused stock.</summary>
    public const string Serial = "serial";

    /// <summary>A text template with placeholders.</summary>
    public const string Text = "text";

    /// <summary>A pool of one-time lines, one per delivered item.</summary>
    public const string Data = "data";

    /// <summary>An image URL.</summary>
    public const string Image = "image";

    /// <summary>A call to the owner's URL; a field of its answer is delivered.</summary>
    public const string Api = "api";

    public static readonly IReadOnlyList<string> All = [Serial, Text, Data, Image, Api];
}

public static class DeliveryStatuses
{
    public const string Scheduled = "scheduled";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Scheduled, Delivered, Failed];
}

public static class DistributionAuditActions
{
    public const string ApplicationApproved = "application_approved";
    public const string ApplicationRejected = "application_rejected";
    public const string DistributorAppointed = "distributor_appointed";
    public const string DistributorSuspended = "distributor_suspended";
    public const string TierChanged = "tier_changed";
    public const string TierEdited = "tier_edited";
    public const string RequestApproved = "request_approved";
    public const string RequestRejected = "request_rejected";
    public const string PayoutPaid = "payout_paid";
    public const string PayoutRejected = "payout_rejected";

    public static readonly IReadOnlyList<string> All =
    [
        ApplicationApproved, ApplicationRejected, DistributorAppointed, DistributorSuspended, TierChanged, TierEdited, RequestApproved,
        RequestRejected, PayoutPaid, PayoutRejected,
    ];
}
