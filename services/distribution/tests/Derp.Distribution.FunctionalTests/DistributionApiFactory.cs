using Derp.ServiceDefaults.Auth;
using Derp.TestSupport;

namespace Derp.Distribution.FunctionalTests;

public class DistributionApiFactory : ServiceFactory<Program>
{
    public DistributionApiFactory() : base("distribution") { }

    public Task SendAsync<T>(T message, Guid? messageId = null) where T : class =>
        RabbitMqProbe.SendToConsumerAsync(EndpointPrefix, message, messageId);

    public HttpClient Admin() => ClientAs(Guid.NewGuid(), Roles.Admin);

    public HttpClient SuperAdmin() => ClientAs(Guid.NewGuid(), Roles.SuperAdmin);

    public HttpClient Distributor(Guid userId) => ClientAs(userId, Roles.Distributor);

    public HttpClient Renter(Guid userId) => ClientAs(userId, Roles.Renter);
}
