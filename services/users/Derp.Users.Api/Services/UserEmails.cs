using Derp.ServiceDefaults.Email;

namespace Derp.Users.Api.Services;

public static class UserEmails
{
    public static readonly EmailTemplate VerificationCode = new(
        "verification-code",
        // The subject carries no code: subjects are shown in the mail log and in notification previews.
        SubjectZh: "Derp 邮箱验证码",
        BodyZh: "{Username}，您好：\n\n您的 Derp 邮箱验证码是 {Code}，{Minutes} 分钟内有效。\n如果这不是您本人的操作，请忽略本邮件。",
        SubjectEn: "Your Derp verification code",
        BodyEn: "Hello {Username},\n\nYour Derp verification code is {Code}. It is valid for {Minutes} minutes.\nIf you did not ask for it, ignore this mail.");

    public static readonly EmailTemplate PasswordResetCode = new(
        "password-reset-code",
        SubjectZh: "Derp 重置密码验证码",
        BodyZh: "{Username}，您好：\n\n您正在重置 Derp 密码，验证码是 {Code}，{Minutes} 分钟内有效，只能使用一次。\n如果这不是您本人的操作，请忽略本邮件，您的密码不会改变。",
        SubjectEn: "Your Derp password reset code",
        BodyEn: "Hello {Username},\n\nYour code to reset your Derp password is {Code}. It is valid for {Minutes} minutes and works once.\nIf you did not ask for it, ignore this mail: your password stays as it is.");

    /// <summary>Registration with an address that already has an account: its owner is told, the registrant learns nothing.</summary>
    public static readonly EmailTemplate RegistrationAttempt = new(
        "registration-attempt",
        SubjectZh: "有人尝试用您的邮箱注册 Derp",
        BodyZh: "{Username}，您好：\n\n刚才有人尝试用本邮箱地址注册 Derp 账号。您已经有一个账号，无需再次注册；如果忘记了密码，请在登录页找回。\n如果这不是您本人的操作，请忽略本邮件，您的账号没有任何变化。",
        SubjectEn: "Someone tried to register at Derp with your address",
        BodyEn: "Hello {Username},\n\nSomeone just tried to register a Derp account with this address. You already have an account, so there is nothing to do; if you forgot your password, reset it from the sign-in page.\nIf it was not you, ignore this mail: nothing changed on your account.");
}

public static class RentalEmails
{
    public static readonly EmailTemplate Activated = new("rental-activated",
        "Derp 租赁已开通，有效期至 {ExpiresAt}",
        "{Username}，您好：\n\n您的 DERP 中继租赁已开通，有效期至 {ExpiresAt}。\n中继和策略文件准备好后我们会再通知您。",
        "Your Derp rental is active until {ExpiresAt}",
        "Hello {Username},\n\nYour DERP relay rental is active until {ExpiresAt}.\nWe will tell you when your relays and policy are ready.");

    public static readonly EmailTemplate Extended = new("rental-extended",
        "Derp 租赁已续费，有效期至 {ExpiresAt}",
        "{Username}，您好：\n\n您的租赁已续费，新的到期时间为 {ExpiresAt}。",
        "Your Derp rental now runs until {ExpiresAt}",
        "Hello {Username},\n\nYour rental was extended; it now ends on {ExpiresAt}.");

    public static readonly EmailTemplate Expired = new("rental-expired",
        "Derp 租赁已到期",
        "{Username}，您好：\n\n您的租赁已于 {ExpiresAt} 到期，中继服务已停止，账号仍保留。\n兑换新的卡密即可恢复；30 天内未续费的账号将被注销。",
        "Your Derp rental has expired",
        "Hello {Username},\n\nYour rental ended on {ExpiresAt}; your relays are stopped and your account is kept.\nRedeem a new serial to resume. Accounts not renewed within 30 days are closed.");

    public static readonly EmailTemplate Reminder = new("rental-reminder",
        "Derp 租赁将在 {Days} 天内到期",
        "{Username}，您好：\n\n您的租赁将于 {ExpiresAt} 到期（{Days} 天内）。请及时兑换卡密续费，以免中继服务中断。",
        "Your Derp rental ends within {Days} days",
        "Hello {Username},\n\nYour rental ends on {ExpiresAt} (within {Days} days). Redeem a serial to renew and keep your relays running.");

    public static readonly EmailTemplate PolicyReady = new("policy-ready",
        "Derp 策略文件已更新（版本 {Version}）",
        "{Username}，您好：\n\n您的 tailnet 策略文件已生成新版本 {Version}，请登录门户下载并应用到 Tailscale 管理后台或 headscale。",
        "Your Derp policy was updated (version {Version})",
        "Hello {Username},\n\nVersion {Version} of your tailnet policy is ready. Sign in to download it and apply it in the Tailscale admin console or headscale.");

    public static readonly EmailTemplate ContainersMoved = new("containers-moved",
        "Derp 中继已迁移",
        "{Username}，您好：\n\n服务器 {Server} 已下线，您的中继已迁移到其他服务器。新的策略文件生成后请重新下载。",
        "Your Derp relays were moved",
        "Hello {Username},\n\nServer {Server} was retired and your relays moved to other servers. Download your policy again once the new version is ready.");

    public static readonly EmailTemplate QuotaExceeded = new("quota-exceeded",
        "Derp 流量已用尽，中继已停止",
        "{Username}，您好：\n\n本期流量已使用 {Used}，超过套餐的 {Quota}，中继服务已停止。续费后恢复。",
        "Your Derp traffic quota is used up",
        "Hello {Username},\n\nThis period you used {Used}, over your plan's {Quota}; your relays are stopped until you renew.");
}
