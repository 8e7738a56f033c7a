using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.ServiceDefaults.Email;

public static class EmailExtensions
{
    /// <summary>SMTP for the services that send mail. Not a readiness check: mail is queued and retried by its sender.</summary>
    public static WebApplicationBuilder AddDerpEmail(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SmtpOptions>().Bind(builder.Configuration.GetSection(SmtpOptions.Section));
        builder.Services.AddSingleton<IEmailSender, SmtpEmailSender>();
        return builder;
    }
}
