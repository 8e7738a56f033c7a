// Design-time host: the startup project `dotnet ef` uses (scripts/add-migration.sh), and `make vocabulary`, which
// writes the web portal's copy of the vocabularies from Derp.Contracts.
if (args is ["vocabulary", var path])
{
    File.WriteAllText(path, Derp.Contracts.VocabularyExport.ToTypeScript(typeof(Derp.ServiceDefaults.Auth.Roles)));
    Console.WriteLine($"wrote {path}");
    return;
}
Console.WriteLine("Design-time host for `dotnet ef` (see scripts/add-migration.sh); `vocabulary PATH` writes the web vocabulary.");
