using Derp.Contracts.Serials;
using Derp.Contracts.Servers;
using Derp.Contracts.Users;
using Derp.ServiceDefaults.Auth;

namespace Derp.Contracts.UnitTests;

public sealed class VocabularyTests
{
    [Fact]
    public void The_web_portals_vocabulary_is_the_one_the_services_use()
    {
        var committed = File.ReadAllText(Path.Combine(RepositoryRoot(), VocabularyExport.WebPath));

        committed.ShouldBe(VocabularyExport.ToTypeScript(typeof(Roles)),
            $"{VocabularyExport.WebPath} is out of date: run `make vocabulary` and commit it.");
    }

    [Fact]
    public void Every_vocabulary_is_exported_with_its_values_and_a_type()
    {
        var ts = VocabularyExport.ToTypeScript(typeof(Roles));

        ts.ShouldContain("export const SerialKinds = ['rental', 'licence', 'balance', 'donation', 'invite'] as const;");
        ts.ShouldContain("export type SerialKind = (typeof SerialKinds)[number];");
        ts.ShouldContain($"'{AuditActions.DeviceRemoved}'");
        ts.ShouldContain($"'{AlertTypes.RemoveFailed}'");
        ts.ShouldContain("export const Roles = ['renter', 'distributor', 'admin', 'superadmin'] as const;");
        ts.ShouldContain("export type ServerStatus = (typeof ServerStatuses)[number];");
    }

    [Fact]
    public void No_vocabulary_repeats_a_value() =>
        VocabularyExport.Collect(typeof(Roles)).ShouldAllBe(v => v.Values.Distinct().Count() == v.Values.Count);

    [Fact]
    public void Every_redeemable_kind_is_a_kind_with_a_use_type()
    {
        SerialKinds.Redeemable.ShouldAllBe(k => SerialKinds.All.Contains(k));
        SerialKinds.All.Select(SerialKinds.UseTypeOf).ShouldAllBe(u => UseTypes.All.Contains(u));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Derp.sln")))
                return directory.FullName;
        throw new InvalidOperationException("Derp.sln not found above " + AppContext.BaseDirectory);
    }
}
