using Derp.ServiceDefaults.Email;

namespace Derp.Users.Api.Services;

public static class UserEmails
{
    public static readonly EmailTemplate VerificationCode = new(
        "verification-code",
        SubjectZh: "Derp 邮箱验证码：{Code}",
        BodyZh: "{Username}，您好：\n\n您的 Derp 邮箱验证码是 {Code}，{Minutes} 分钟内有效。\n如果这不是您本人的操作，请忽略本邮件。",
        SubjectEn: "Your Derp verification code: {Code}",
        BodyEn: "Hello {Username},\n\nYour Derp verification code is {Code}. It is valid for {Minutes} minutes.\nIf you did not ask for it, ignore this mail.");
}
