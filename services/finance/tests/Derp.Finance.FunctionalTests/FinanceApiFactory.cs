using Derp.ServiceDefaults.Auth;
using Derp.TestSupport;

namespace Derp.Finance.FunctionalTests;

public class FinanceApiFactory : ServiceFactory<Program>
{
    public FinanceApiFactory() : base("finance") { }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        // Tests make their own plans.
        new("Finance:SeedPlans", "false"),
        // Tests that count PlanChanged events must not see the periodic re-announcement (it has its own test).
        new("Finance:PlanAnnouncementCron", "0 0 0 1 1 ? 2099"),
    ];

    public Task SendAsync<T>(T message, Guid? messageId = null) where T : class =>
        RabbitMqProbe.SendToConsumerAsync(EndpointPrefix, message, messageId);

    public HttpClient Admin() => ClientAs(Guid.NewGuid(), Roles.Admin);

    public HttpClient Renter(Guid userId) => ClientAs(userId, Roles.Renter);
}
