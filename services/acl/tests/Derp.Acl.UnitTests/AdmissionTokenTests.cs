using Derp.ServiceDefaults.Security;

namespace Derp.Acl.UnitTests;

public sealed class AdmissionTokenTests
{
    private const string Secret = "unit-test-admission-secret-0123456789";
    private static readonly Guid Renter = Guid.NewGuid();
    private static readonly Guid Container = Guid.NewGuid();

    [Fact]
    public void A_token_names_its_renter_and_container()
    {
        var token = AdmissionTokens.Create(Secret, Renter, Container);

        AdmissionTokens.TryRead(Secret, token, out var userId, out var containerId).ShouldBeTrue();
        userId.ShouldBe(Renter);
        containerId.ShouldBe(Container);
    }

    [Fact]
    public void Another_secret_refuses_it()
    {
        var token = AdmissionTokens.Create(Secret, Renter, Container);

        AdmissionTokens.TryRead(Secret + "x", token, out _, out _).ShouldBeFalse();
    }

    [Fact]
    public void Moving_the_mac_to_another_renter_or_container_refuses_it()
    {
        var mac = AdmissionTokens.Create(Secret, Renter, Container).Split('.')[2];

        AdmissionTokens.TryRead(Secret, $"{Guid.NewGuid():N}.{Container:N}.{mac}", out _, out _).ShouldBeFalse();
        AdmissionTokens.TryRead(Secret, $"{Renter:N}.{Guid.NewGuid():N}.{mac}", out _, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("a.b.c")]
    public void Malformed_tokens_are_refused(string? token) =>
        AdmissionTokens.TryRead(Secret, token, out _, out _).ShouldBeFalse();

    [Fact]
    public void A_flipped_character_in_the_mac_refuses_it()
    {
        var token = AdmissionTokens.Create(Secret, Renter, Container);
        var last = token[^1];
        var tampered = token[..^1] + (last == 'A' ? 'B' : 'A');

        AdmissionTokens.TryRead(Secret, tampered, out _, out _).ShouldBeFalse();
    }
}
