using System.Net;
using System.Text.Json;
using Derp.Contracts.Users;
using Derp.ServiceDefaults.Messaging;
using Derp.TestSupport;
using Derp.Users.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Users.FunctionalTests;

/// <summary>The users service reaching RabbitMQ through a forwarder of its own, so a test can cut it off the broker.</summary>
public sealed class UsersBehindForwarderFactory : UsersApiFactory
{
    public TcpForwarder Broker { get; } = TcpForwarder.For(new Uri(TestInfrastructure.RabbitMq));

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. base.Settings(), new("ConnectionStrings:RabbitMq", Broker.Rewrite(TestInfrastructure.RabbitMq))];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Broker.DisposeAsync();
    }
}

public sealed class OutboxTests(UsersBehindForwarderFactory factory) : IClassFixture<UsersBehindForwarderFactory>
{
    [Fact]
    public async Task Registration_publishes_UserRegistered_with_the_outbox_message_id()
    {
        await using var probe = await RabbitMqProbe.ForEventAsync<UserRegistered>();
        var email = UsersApiClient.NewEmail();

        (await factory.CreateClient().RegisterAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var message = await probe.WaitForAsync(m => m.GetProperty("email").GetString() == email, TimeSpan.FromSeconds(20));
        message.GetProperty("role").GetString().ShouldBe("renter");
        // The publisher marks the row sent just after the broker took the message, so the probe may see it first.
        await Until.TrueAsync(async () =>
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var row = await scope.ServiceProvider.GetRequiredService<UsersContext>().Set<OutboxMessage>()
                .FromSqlInterpolated($"SELECT * FROM outbox_messages WHERE payload->>'email' = {email}").SingleAsync();
            return row.SentAt is not null;
        }, "the outbox row to be marked sent", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Registration_succeeds_while_RabbitMQ_is_unreachable_and_the_event_is_delivered_once_it_is_back()
    {
        await using var probe = await RabbitMqProbe.ForEventAsync<UserRegistered>();
        var email = UsersApiClient.NewEmail();

        factory.Broker.Cut(); // this service's connection to the broker, not the machine-wide broker
        try
        {
            var response = await factory.CreateClient().RegisterAsync(email);
            response.StatusCode.ShouldBe(HttpStatusCode.Created);

            await Task.Delay(TimeSpan.FromSeconds(2));
            await using var scope = factory.Services.CreateAsyncScope();
            var pending = await scope.ServiceProvider.GetRequiredService<UsersContext>().Set<OutboxMessage>()
                .FromSqlInterpolated($"SELECT * FROM outbox_messages WHERE payload->>'email' = {email}").SingleAsync();
            pending.SentAt.ShouldBeNull();
        }
        finally
        {
            factory.Broker.Restore();
        }

        var delivered = await probe.WaitForAsync(m => m.GetProperty("email").GetString() == email, TimeSpan.FromSeconds(90));
        delivered.GetProperty("userId").GetGuid().ShouldNotBe(Guid.Empty);

        // Exactly once: nothing else for this address follows.
        await Task.Delay(TimeSpan.FromSeconds(2));
        (await probe.DrainAsync()).Count(m => m.GetProperty("message").GetProperty("email").GetString() == email).ShouldBe(0);
    }
}
