using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Derp.Distribution.Api.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Derp.Distribution.FunctionalTests.Distributors;

public static class DistributorsTestSupport
{
    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 1, 2, 3];

    public static object Application(string? qrBase64 = null, string payoutChannel = "alipay") => new
    {
        contactName = "张三", contact = "wechat: zhangsan", payoutChannel, payoutAccountName = "张三", payoutAccount = "zs@example.com",
        payoutQrBase64 = qrBase64, remark = "I run a shop",
    };

    public static object Appointment(Guid userId, string tierCode = "gold") => new
    {
        userId, tierCode, contactName = "李四", contact = "qq 12345", payoutChannel = "wechat", payoutAccountName = "李四", payoutAccount = "wx-lisi",
    };

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        response.StatusCode.ShouldBe(expected, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static string Str(this JsonElement json, string name) => json.GetProperty(name).GetString()!;

    public static async Task<Guid> ApplyAsync(this DistributionApiFactory factory, Guid userId, string? qrBase64 = null) =>
        (await (await factory.Renter(userId).PostAsJsonAsync("/api/distribution/applications", Application(qrBase64))).JsonAsync(HttpStatusCode.Created))
        .GetProperty("id").GetGuid();

    public static async Task<JsonElement> AppointAsync(this DistributionApiFactory factory, Guid userId, string tierCode = "gold") =>
        await (await factory.Admin().PostAsJsonAsync("/api/distribution/distributors", Appointment(userId, tierCode))).JsonAsync(HttpStatusCode.Created);

    public static async Task<T> WithDbAsync<T>(this DistributionApiFactory factory, Func<DistributionContext, Task<T>> work)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<DistributionContext>());
    }
}
