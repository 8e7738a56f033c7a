using System.Reflection;
using System.Text;

namespace Derp.Contracts;

/// <summary>
/// Writes the vocabularies (every static class here with a <c>public static readonly IReadOnlyList&lt;string&gt; All</c>)
/// as a TypeScript module for the web portal, so its filters, badges and labels come from the same definition the
/// services use (ADR-013). `make vocabulary` writes web/src/lib/vocabulary.generated.ts; a unit test fails when the
/// committed file differs from what this renders.
/// </summary>
public static class VocabularyExport
{
    public const string WebPath = "web/src/lib/vocabulary.generated.ts";

    /// <summary>Every vocabulary of this assembly, plus <paramref name="others"/> (e.g. the roles, which live with auth).</summary>
    public static IReadOnlyList<(string Name, IReadOnlyList<string> Values)> Collect(params Type[] others) =>
        typeof(VocabularyExport).Assembly.GetTypes().Concat(others)
            .Where(t => t is { IsAbstract: true, IsSealed: true })
            .Select(t => (t.Name, Field: t.GetField("All", BindingFlags.Public | BindingFlags.Static)))
            .Where(v => v.Field?.FieldType == typeof(IReadOnlyList<string>))
            .Select(v => (v.Name, (IReadOnlyList<string>)v.Field!.GetValue(null)!))
            .OrderBy(v => v.Name, StringComparer.Ordinal)
            .ToList();

    public static string ToTypeScript(params Type[] others)
    {
        var ts = new StringBuilder();
        ts.Append("// Generated from Derp.Contracts by `make vocabulary`: do not edit. A unit test fails when it is out of date.\n");
        foreach (var (name, values) in Collect(others))
        {
            ts.Append('\n');
            ts.Append($"export const {name} = [{string.Join(", ", values.Select(v => $"'{v}'"))}] as const;\n");
            ts.Append($"export type {Singular(name)} = (typeof {name})[number];\n");
        }
        return ts.ToString();
    }

    private static string Singular(string name) =>
        name.EndsWith("ies", StringComparison.Ordinal) ? name[..^3] + "y"
        : name.EndsWith("ses", StringComparison.Ordinal) ? name[..^2]
        : name.EndsWith('s') ? name[..^1]
        : name + "Value";
}
