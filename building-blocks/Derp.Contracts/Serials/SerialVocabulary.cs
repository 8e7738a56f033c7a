namespace Derp.Contracts.Serials;

// Vocabularies: the strings this service stores, publishes and serves. They live here, beside the events, so every
// service and the web portal (web/src/lib/vocabulary.generated.ts, `make vocabulary`) use one definition (ADR-013).

public static class SerialKinds
{
    public const string Rental = "rental";
    public const string Licence = "licence";
    public const string Balance = "balance";
    public const string Donation = "donation";
    public const string Invite = "invite";

    public static readonly IReadOnlyList<string> All = [Rental, Licence, Balance, Donation, Invite];

    /// <summary>Kinds a renter redeems on the portal; licences are validated by client software, invites at registration.</summary>
    public static readonly IReadOnlyList<string> Redeemable = [Rental, Balance, Donation];

    /// <summary>The use type (requirements §3.7) for each redeemable kind.</summary>
    public static string UseTypeOf(string kind) => kind switch
    {
        Rental => UseTypes.Membership,
        Donation => UseTypes.Donation,
        Balance => UseTypes.Points,
        Invite => UseTypes.Register,
        _ => UseTypes.Other,
    };
}

public static class SerialStatuses
{
    public const string Unused = "unused";
    public const string Active = "active";
    public const string Used = "used";
    public const string Expired = "expired";
    public const string Disabled = "disabled";

    public static readonly IReadOnlyList<string> All = [Unused, Active, Used, Expired, Disabled];
}

public static class BindingPolicies
{
    /// <summary>Requirements §3.6: the machine code must match the bound one.</summary>
    public const string Strict = "strict";

    /// <summary>Requirements §3.6: refuse only when both the hardware and the IP differ from the bound client.</summary>
    public const string Lenient = "lenient";

    public static readonly IReadOnlyList<string> All = [Strict, Lenient];
}

public static class UseTypes
{
    public const string Membership = "membership";
    public const string Donation = "donation";
    public const string Register = "register";
    public const string Product = "product";
    public const string Points = "points";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All = [Membership, Donation, Register, Product, Points, Other];
}

public static class SerialActions
{
    public const string Generate = "generate";
    public const string Redeem = "redeem";
    public const string Validate = "validate";
    public const string Disable = "disable";
    public const string Enable = "enable";
    public const string Edit = "edit";
    public const string Delete = "delete";
    public const string Unbind = "unbind";
    public const string Expire = "expire";

    public static readonly IReadOnlyList<string> All = [Generate, Redeem, Validate, Disable, Enable, Edit, Delete, Unbind, Expire];
}

/// <summary>What a use-log row's <c>related_id</c> points at (seed 004's <c>related_type</c>).</summary>
public static class RelatedTypes
{
    /// <summary>The plan a rental serial was made from (finance).</summary>
    public const string Plan = "plan";

    /// <summary>The wallet ledger entry a balance serial credited (finance).</summary>
    public const string LedgerEntry = "ledger_entry";

    /// <summary>The donation a donation serial paid for (finance).</summary>
    public const string Donation = "donation";

    public static readonly IReadOnlyList<string> All = [Plan, LedgerEntry, Donation];
}
