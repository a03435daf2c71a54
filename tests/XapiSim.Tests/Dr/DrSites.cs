using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace XapiSim.Tests.Dr;

/// <summary>
/// Pool files of a DR test: the primary site declares the replicated SR (shared folder + the iSCSI target of its
/// LUN), the DR site sees the same LUN only as a storage target; plus helpers on the folder's files.
/// </summary>
internal static class DrSites
{
    public const string SrUuid = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b";
    public const string DiskUuid = "6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c";
    public const string Target = "192.0.2.10";
    public const string TargetIqn = "iqn.2026-11.org.example:dr";
    public const string ScsiId = "36001405dr0000001";

    /// <summary>The device_config naming the replicated LUN.</summary>
    public static Dictionary<string, object> DeviceConfig(bool withScsiId = true)
    {
        var config = new Dictionary<string, object> { ["target"] = Target, ["targetIQN"] = TargetIqn };
        if (withScsiId)
        {
            config["SCSIid"] = ScsiId;
        }

        return config;
    }

    /// <summary>Pool A: the replicated SR "Replicated" and a VM "web" with one disk on it.</summary>
    public static string PrimaryJson(string folder) => $$"""
        {
          "pool": { "name_label": "primary" },
          "default_templates": false,
          "srs": [
            { "name_label": "Replicated", "name_description": "LUN replicated to the DR site", "uuid": "{{SrUuid}}", "type": "lvmoiscsi",
              "shared": true, "default": true, "shared_storage": {{JsonSerializer.Serialize(folder)}},
              "device_config": { "target": "{{Target}}", "targetIQN": "{{TargetIqn}}", "SCSIid": "{{ScsiId}}" } }
          ],
          "vms": [ { "name_label": "web", "disks": [ { "uuid": "{{DiskUuid}}", "size": "8MiB" } ] } ]
        }
        """;

    /// <summary>Pool B (two hosts): a local SR and the replicated LUN as a storage target only.</summary>
    public static string SecondaryJson(string folder) => $$"""
        {
          "pool": { "name_label": "dr-site" },
          "default_templates": false,
          "hosts": [ { "name_label": "dr1", "master": true }, { "name_label": "dr2" } ],
          "srs": [ { "name_label": "Local", "type": "ext", "size": "10GiB" } ],
          "storage_targets": [
            { "type": "lvmoiscsi",
              "device_config": { "target": "{{Target}}", "targetIQN": "{{TargetIqn}}", "SCSIid": "{{ScsiId}}" },
              "folder": {{JsonSerializer.Serialize(folder)}} } ]
        }
        """;

    /// <summary>Every file of the folder with its SHA-256, to show that nothing was changed.</summary>
    public static SortedDictionary<string, string> Files(string folder)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            files[Path.GetFileName(path)] = Convert.ToHexString(SHA256.HashData(stream));
        }

        return files;
    }

    /// <summary>
    /// Copies the metadata VDI <paramref name="uuid"/> of the folder to a new VDI whose database claims generation
    /// <paramref name="generation"/> (an older or newer replica of the same pool). Returns the new uuid.
    /// </summary>
    public static string CopyMetadataVdi(string folder, string uuid, long generation)
    {
        var copy = Guid.NewGuid().ToString("D");
        var sidecar = File.ReadAllText(Path.Combine(folder, uuid + ".json")).Replace(uuid, copy, StringComparison.Ordinal);
        File.Copy(Path.Combine(folder, uuid + ".vdi"), Path.Combine(folder, copy + ".vdi"));
        using (var file = new FileStream(Path.Combine(folder, copy + ".vdi"), FileMode.Open, FileAccess.ReadWrite))
        {
            var header = new byte[16];
            file.ReadExactly(header);
            var body = new byte[BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(8))];
            file.ReadExactly(body);
            var xml = System.Text.RegularExpressions.Regex.Replace(
                Encoding.UTF8.GetString(body),
                "key=\"generation_count\" value=\"[0-9]+\"",
                "key=\"generation_count\" value=\"" + generation.ToString(CultureInfo.InvariantCulture) + "\"");
            var bytes = Encoding.UTF8.GetBytes(xml);
            BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(8), bytes.Length);
            file.Position = 0;
            file.Write(header);
            file.Write(bytes);
        }

        File.WriteAllText(Path.Combine(folder, copy + ".json"), sidecar);
        return copy;
    }
}
