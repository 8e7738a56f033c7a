using Derp.Contracts.Finance;
using Derp.Finance.Api.Infrastructure;
using Derp.Finance.Api.Model;
using Derp.Finance.Api.Services;
using Derp.ServiceDefaults.Audit;
using Derp.ServiceDefaults.Auth;
using Derp.ServiceDefaults.Http;
using Derp.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Derp.Finance.Api.Apis;

public static class SettingsApi
{
    public static IEndpointRouteBuilder MapSettingsApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("api/finance").WithTags("Settings").RequireAuthorization(Policies.Admin);
        admin.MapGet("settings", Get);
        admin.MapPut("settings", Put).Validate<SettingsRequest>();
        admin.MapPut("payment-accounts/{channel}", PutAccount).Validate<PaymentAccountRequest>();
        // Any signed-in user: renters see where to transfer.
        var signedIn = routes.MapGroup("api/finance/payment-accounts").WithTags("Settings").RequireAuthorization();
        signedIn.MapGet("", ListEnabled);
        signedIn.MapGet("{channel}/qr", GetQr);
        return routes;
    }

    public static async Task<Ok<SettingsResponse>> Get(FinanceContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ResponseAsync(db, await db.GetSettingsAsync(clock, cancellationToken), cancellationToken));

    public static async Task<Ok<SettingsResponse>> Put(SettingsRequest request, HttpContext http, FinanceContext db, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var settings = await db.GetSettingsAsync(clock, cancellationToken);
        var before = new { settings.OrderTimeoutMinutes, settings.PublicDonations };
        settings.OrderTimeoutMinutes = request.OrderTimeoutMinutes;
        settings.PublicDonations = request.PublicDonations;
        settings.UpdatedAt = clock.GetUtcNow();
        db.AddAudit(http, clock, FinanceAuditActions.SettingsChanged, "settings", FinanceSettings.SingletonId, new { before, after = request });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await ResponseAsync(db, settings, cancellationToken));
    }

    /// <summary>
    /// Sets a receiving account. A QR image replaces the stored one (an empty string removes it; leaving it out keeps it);
    /// it must be a PNG or JPEG by its bytes, not by what the client claims.
    /// </summary>
    public static async Task<Results<Ok<PaymentAccountResponse>, ProblemHttpResult>> PutAccount(string channel, PaymentAccountRequest request,
        HttpContext http, FinanceContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!PaymentAccountChannels.All.Contains(channel))
            return AccountNotFound();
        byte[]? image = null;
        string? contentType = null;
        if (!string.IsNullOrEmpty(request.QrImageBase64))
        {
            if (ImageUploads.ReadQr(request.QrImageBase64, request.QrContentType) is not { } qr)
                return ApiProblems.Problem(400, FinanceProblemCodes.QrImageInvalid, "The QR code must be a PNG or JPEG image of at most 512 KiB.",
                    "Send qrImageBase64 as base64 of the image's bytes; qrContentType, if given, must be image/png or image/jpeg and match them.");
            (image, contentType) = qr;
        }

        var account = await db.PaymentAccounts.SingleOrDefaultAsync(a => a.Channel == channel, cancellationToken);
        if (account is null)
        {
            account = new PaymentAccount { Channel = channel, AccountName = "", Account = "" };
            db.PaymentAccounts.Add(account);
        }
        account.AccountName = request.AccountName.Trim();
        account.Account = request.Account.Trim();
        account.Enabled = request.Enabled;
        if (request.QrImageBase64 is not null)
        {
            account.QrImage = image;
            account.QrContentType = contentType;
        }
        account.UpdatedAt = clock.GetUtcNow();
        db.AddAudit(http, clock, FinanceAuditActions.SettingsChanged, "payment_account", channel, new
        {
            account.AccountName, account.Account, account.Enabled, qrBytes = account.QrImage?.Length, account.QrContentType,
        });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(AccountResponse(account));
    }

    public static async Task<Ok<List<InstructionAccount>>> ListEnabled(FinanceContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await OrdersApi.EnabledAccountsAsync(db, cancellationToken));

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetQr(string channel, FinanceContext db, CancellationToken cancellationToken)
    {
        var qr = await db.PaymentAccounts.AsNoTracking().Where(a => a.Channel == channel && a.QrImage != null)
            .Select(a => new { a.QrImage, a.QrContentType }).SingleOrDefaultAsync(cancellationToken);
        return qr is null ? AccountNotFound() : TypedResults.File(qr.QrImage!, qr.QrContentType ?? "application/octet-stream");
    }

    private static ProblemHttpResult AccountNotFound() =>
        ApiProblems.NotFound(FinanceProblemCodes.PaymentAccountNotFound, "No such payment account (or it has no QR code).");

    private static PaymentAccountResponse AccountResponse(PaymentAccount a) =>
        new(a.Channel, a.AccountName, a.Account, a.QrImage is not null, a.Enabled, a.UpdatedAt);

    private static async Task<SettingsResponse> ResponseAsync(FinanceContext db, FinanceSettings settings, CancellationToken cancellationToken)
    {
        var accounts = await db.PaymentAccounts.AsNoTracking().OrderBy(a => a.Channel).ToListAsync(cancellationToken);
        return new SettingsResponse(settings.OrderTimeoutMinutes, settings.PublicDonations, accounts.Select(AccountResponse).ToList());
    }
}
