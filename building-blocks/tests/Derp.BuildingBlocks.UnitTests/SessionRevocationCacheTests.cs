using Derp.Contracts.Users;
using Derp.ServiceDefaults.Auth;
using Microsoft.Extensions.Options;

namespace Derp.BuildingBlocks.UnitTests;

public sealed class SessionRevocationCacheTests
{
    private static readonly Guid User = Guid.NewGuid();
    private readonly SessionRevocationCache _cache = new(Options.Create(new JwtOptions { SigningKey = new string('k', 32) }));

    private static UserSessionsRevoked AllSessions(int version) => new(User, version, null, SessionRevocationReasons.RoleChanged, DateTimeOffset.UtcNow);

    [Fact]
    public void An_account_revocation_refuses_older_session_versions_only()
    {
        _cache.Apply(AllSessions(2));

        _cache.IsRevoked(User, 0, null).ShouldBeTrue();
        _cache.IsRevoked(User, 1, Guid.NewGuid()).ShouldBeTrue();
        _cache.IsRevoked(User, 2, Guid.NewGuid()).ShouldBeFalse();
        _cache.IsRevoked(Guid.NewGuid(), 0, null).ShouldBeFalse();
    }

    [Fact]
    public void Revocations_applied_twice_or_out_of_order_give_the_same_answer()
    {
        _cache.Apply(AllSessions(3));
        _cache.Apply(AllSessions(1));
        _cache.Apply(AllSessions(3));

        _cache.IsRevoked(User, 2, null).ShouldBeTrue();
        _cache.IsRevoked(User, 3, null).ShouldBeFalse();
    }

    [Fact]
    public void A_logout_refuses_that_session_and_leaves_the_others()
    {
        var session = Guid.NewGuid();
        _cache.Apply(new UserSessionsRevoked(User, 0, session, SessionRevocationReasons.Logout, DateTimeOffset.UtcNow));

        _cache.IsRevoked(User, 0, session).ShouldBeTrue();
        _cache.IsRevoked(User, 0, Guid.NewGuid()).ShouldBeFalse();
        _cache.IsRevoked(User, 0, null).ShouldBeFalse();
    }
}
