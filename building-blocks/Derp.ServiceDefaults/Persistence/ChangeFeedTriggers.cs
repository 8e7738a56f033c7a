namespace Derp.ServiceDefaults.Persistence;

/// <summary>
/// The SQL a migration runs so that a table's committed changes reach <see cref="ChangeFeed"/> listeners:
/// <c>pg_notify(channel, key column)</c> from a row trigger (delivered at commit, dropped on rollback, duplicates in one
/// transaction folded by PostgreSQL). A trigger sees every writer, EF, ExecuteUpdate and raw SQL alike.
/// </summary>
public static class ChangeFeedTriggers
{
    /// <summary>The shared trigger function: TG_ARGV[0] is the channel, TG_ARGV[1] the column whose value is the payload.</summary>
    public const string CreateFunction = """
        CREATE OR REPLACE FUNCTION derp_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            old_key text;
            new_key text;
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                old_key := to_jsonb(OLD) ->> TG_ARGV[1];
                IF old_key IS NOT NULL THEN
                    PERFORM pg_notify(TG_ARGV[0], old_key);
                END IF;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                new_key := to_jsonb(NEW) ->> TG_ARGV[1];
                IF new_key IS NOT NULL AND new_key IS DISTINCT FROM old_key THEN
                    PERFORM pg_notify(TG_ARGV[0], new_key);
                END IF;
            END IF;
            RETURN NULL;
        END
        $$;
        """;

    /// <summary>
    /// Notifies <paramref name="channel"/> with the row's <paramref name="keyColumn"/> on the given operations; an
    /// update notifies only when one of <paramref name="decidingColumns"/> changed (all columns when none are given).
    /// </summary>
    public static string Create(string table, string channel, string keyColumn, bool onInsert, params string[] decidingColumns)
    {
        var name = TriggerName(table);
        var arguments = $"'{channel}', '{keyColumn}'";
        var when = decidingColumns.Length == 0
            ? ""
            : " WHEN (" + string.Join(" OR ", decidingColumns.Select(c => $"OLD.{c} IS DISTINCT FROM NEW.{c}")) + ")";
        return $"""
            CREATE TRIGGER {name}_update AFTER UPDATE ON {table} FOR EACH ROW{when} EXECUTE FUNCTION derp_notify_change({arguments});
            CREATE TRIGGER {name}_rows AFTER {(onInsert ? "INSERT OR DELETE" : "DELETE")} ON {table} FOR EACH ROW EXECUTE FUNCTION derp_notify_change({arguments});
            """;
    }

    public static string Drop(string table)
    {
        var name = TriggerName(table);
        return $"""
            DROP TRIGGER IF EXISTS {name}_update ON {table};
            DROP TRIGGER IF EXISTS {name}_rows ON {table};
            """;
    }

    public const string DropFunction = "DROP FUNCTION IF EXISTS derp_notify_change();";

    private static string TriggerName(string table) => $"{table}_change_feed";
}
