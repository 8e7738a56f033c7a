using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Derp.Distribution.FunctionalTests;

public sealed class ReadinessTests(DistributionApiFactory factory) : IClassFixture<DistributionApiFactory>
{
    [Fact]
    public async Task The_service_migrates_its_database_and_is_ready()
    {
        var response = await factory.CreateClient().GetAsync("/health/ready");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var checks = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks");
        checks.GetProperty("postgresql").GetProperty("status").GetString().ShouldBe("Healthy");
    }
}
