using System.Text.Json;
using Derp.Contracts.Users;
using Derp.ServiceDefaults.Email;
using Derp.ServiceDefaults.Messaging;
using Derp.ServiceDefaults.Persistence;
using Derp.ServiceDefaults.Problems;

namespace Derp.BuildingBlocks.UnitTests;

public sealed class SnakeCaseNamingTests
{
    [Theory]
    [InlineData("Users", "users")]
    [InlineData("NormalizedEmail", "normalized_email")]
    [InlineData("PK_RefreshTokens", "pk_refresh_tokens")]
    [InlineData("IX_AuditEntries_UserId_CreatedAt", "ix_audit_entries_user_id_created_at")]
    [InlineData("HTTPStatus", "http_status")]
    [InlineData("Ipv4Address", "ipv4_address")]
    public void Converts_pascal_case_names(string name, string expected) => SnakeCaseNaming.ToSnakeCase(name).ShouldBe(expected);
}

public sealed class EmailTemplateTests
{
    private static readonly EmailTemplate Template = new("t", "验证码 {Code}", "你好 {Name}", "Code {Code}", "Hello {Name}");

    [Fact]
    public void Chinese_is_the_default_and_english_is_chosen_by_language()
    {
        var values = new Dictionary<string, string> { ["Code"] = "123456", ["Name"] = "Ann" };

        Template.Render("a@b.c", null, values).Subject.ShouldBe("验证码 123456");
        Template.Render("a@b.c", "zh-CN", values).TextBody.ShouldBe("你好 Ann");
        Template.Render("a@b.c", "en", values).Subject.ShouldBe("Code 123456");
    }

    [Fact]
    public void Values_are_html_encoded_in_the_html_body_only()
    {
        var mail = Template.Render("a@b.c", "en", new Dictionary<string, string> { ["Code"] = "1", ["Name"] = "<script>x</script>" });

        mail.HtmlBody.ShouldContain("&lt;script&gt;");
        mail.HtmlBody.ShouldNotContain("<script>");
        mail.TextBody.ShouldBe("Hello <script>x</script>");
    }
}

public sealed class OutboxMessageTests
{
    [Fact]
    public void An_event_round_trips_through_its_outbox_row()
    {
        var registered = new UserRegistered(Guid.NewGuid(), "a@b.c", "ann", "renter", DateTimeOffset.UnixEpoch);
        var row = OutboxMessage.For(registered, DateTimeOffset.UnixEpoch);

        var type = Type.GetType(row.MessageType, throwOnError: true)!;
        var back = JsonSerializer.Deserialize(row.Payload, type, JsonSerializerOptions.Web);

        type.ShouldBe(typeof(UserRegistered));
        back.ShouldBe(registered);
        row.MessageId.ShouldNotBe(Guid.Empty);
        row.SentAt.ShouldBeNull();
    }
}

public sealed class ProblemCodeTests
{
    [Theory]
    [InlineData(400, "invalid_request")]
    [InlineData(401, "unauthorized")]
    [InlineData(403, "forbidden")]
    [InlineData(404, "not_found")]
    [InlineData(413, "payload_too_large")]
    [InlineData(429, "too_many_requests")]
    [InlineData(500, "internal_error")]
    [InlineData(503, "service_unavailable")]
    public void Every_status_has_a_stable_default_code(int status, string code) => ProblemCodes.ForStatus(status).ShouldBe(code);
}
