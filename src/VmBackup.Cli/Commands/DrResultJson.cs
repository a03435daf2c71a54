using System.Text;
using System.Text.Json;
using VmBackup.Core.Dr;

namespace VmBackup.Cli.Commands;

/// <summary>The JSON document <c>vmbackup dr failover|test-failover|failback --json</c> prints (docs/disaster-recovery.md).</summary>
internal static class DrResultJson
{
    public static string Write(DrRunResult result)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("mode", result.Mode switch { DrFailoverMode.TestFailover => "test-failover", DrFailoverMode.Failback => "failback", _ => "failover" });
            json.WriteBoolean("dry_run", result.DryRun);
            json.WriteNumber("failures", result.Failures);
            json.WriteStartArray("srs");
            foreach (var (name, uuid, state) in result.Srs)
            {
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteString("uuid", uuid);
                json.WriteString("state", state);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("not_found");
            foreach (var name in result.NotFound)
            {
                json.WriteStringValue(name);
            }

            json.WriteEndArray();
            json.WriteStartArray("items");
            foreach (var item in result.Items)
            {
                WriteItem(json, item);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteItem(Utf8JsonWriter json, DrItemResult item)
    {
        json.WriteStartObject();
        json.WriteString("kind", item.Kind);
        json.WriteString("name", item.Name);
        json.WriteString("uuid", item.Uuid);
        json.WriteString("action", item.Action);
        json.WriteString("source_pool", item.SourcePool);
        json.WriteString("source_sr", item.SourceSr);
        if (item.Problem is not null)
        {
            json.WriteString("problem", item.Problem);
        }

        json.WriteStartArray("vms");
        foreach (var vm in item.Vms)
        {
            json.WriteStringValue(vm);
        }

        json.WriteEndArray();
        json.WriteStartArray("notes");
        foreach (var note in item.Notes)
        {
            json.WriteStringValue(note);
        }

        json.WriteEndArray();
        json.WriteBoolean("recovered", item.Recovered);
        json.WriteBoolean("started", item.Started);
        if (item.Error is not null)
        {
            json.WriteString("error", item.Error);
        }

        if (item.DisksPresent is { } disks)
        {
            json.WriteNumber("disks_present", disks);
            json.WriteBoolean("check_ok", !item.CheckFailed);
            json.WriteBoolean("removed", item.Removed);
        }

        json.WriteEndObject();
    }
}
