using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace XapiSim.Storage;

/// <summary>
/// The sidecar <c>&lt;uuid&gt;.json</c> of a VDI on a shared (replicated) SR: what a pool needs to introduce the VDI
/// whose content is the flat sparse file <c>&lt;uuid&gt;.vdi</c> next to it.
/// </summary>
public sealed record SharedVdiInfo
{
    /// <summary>The VDI uuid (also the file names).</summary>
    public required string Uuid { get; init; }

    /// <summary>Size in bytes.</summary>
    public required long VirtualSize { get; init; }

    /// <summary>The VDI's name label when it was created.</summary>
    public string NameLabel { get; init; } = string.Empty;

    /// <summary>The VDI's description when it was created.</summary>
    public string NameDescription { get; init; } = string.Empty;

    /// <summary>VDI type (system, user...).</summary>
    public string Type { get; init; } = "user";

    /// <summary>The generated-content fill the disk was created with (informational: the content is in the file).</summary>
    public double? Fill { get; init; }

    /// <summary>The generated-content seed the disk was created with (informational).</summary>
    public int? Seed { get; init; }

    /// <summary>True when the VDI is a snapshot (what SM keeps in the SR's metadata; an SR scan restores <c>is_a_snapshot</c>).</summary>
    public bool IsASnapshot { get; init; }

    /// <summary>The uuid of the VDI this snapshot was taken of (an SR scan links <c>snapshot_of</c> when the pool knows it), or null.</summary>
    public string? SnapshotOf { get; init; }

    /// <summary>When the snapshot was taken (UTC), or null.</summary>
    public DateTime? SnapshotTime { get; init; }

    internal static string DataPath(string folder, string uuid) => Path.Combine(folder, uuid + ".vdi");

    internal static string SidecarPath(string folder, string uuid) => Path.Combine(folder, uuid + ".json");

    /// <summary>Reads the sidecar of <paramref name="uuid"/> in <paramref name="folder"/>, or null when it is missing or unreadable.</summary>
    public static SharedVdiInfo? TryRead(string folder, string uuid)
    {
        try
        {
            var node = JsonNode.Parse(File.ReadAllText(SidecarPath(folder, uuid)));
            if (node is not JsonObject o || o["virtual_size"] is null)
            {
                return null;
            }

            return new SharedVdiInfo
            {
                Uuid = uuid,
                VirtualSize = o["virtual_size"]!.GetValue<long>(),
                NameLabel = o["name_label"]?.GetValue<string>() ?? string.Empty,
                NameDescription = o["name_description"]?.GetValue<string>() ?? string.Empty,
                Type = o["type"]?.GetValue<string>() ?? "user",
                Fill = o["fill"]?.GetValue<double>(),
                Seed = o["seed"]?.GetValue<int>(),
                IsASnapshot = o["is_a_snapshot"]?.GetValue<bool>() ?? false,
                SnapshotOf = o["snapshot_of"]?.GetValue<string>() is { Length: > 0 } of ? of : null,
                SnapshotTime = o["snapshot_time"]?.GetValue<string>() is { Length: > 0 } time
                    ? DateTime.Parse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
                    : null,
            };
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The uuids of the VDIs in <paramref name="folder"/>: a <c>.vdi</c> file with a readable sidecar, sorted.</summary>
    public static IReadOnlyList<SharedVdiInfo> List(string folder)
    {
        var found = new List<SharedVdiInfo>();
        foreach (var sidecar in Directory.EnumerateFiles(folder, "*.json"))
        {
            var uuid = Path.GetFileNameWithoutExtension(sidecar);
            if (Guid.TryParseExact(uuid, "D", out _) && File.Exists(DataPath(folder, uuid)) && TryRead(folder, uuid) is { } info)
            {
                found.Add(info);
            }
        }

        found.Sort((a, b) => string.CompareOrdinal(a.Uuid, b.Uuid));
        return found;
    }

    /// <summary>Writes the sidecar (via a temporary file, so readers never see half of it).</summary>
    internal void Write(string folder)
    {
        var o = new JsonObject
        {
            ["uuid"] = Uuid,
            ["virtual_size"] = VirtualSize,
            ["name_label"] = NameLabel,
            ["name_description"] = NameDescription,
            ["type"] = Type,
        };
        if (Fill is { } fill)
        {
            o["fill"] = fill;
        }

        if (Seed is { } seed)
        {
            o["seed"] = seed;
        }

        if (IsASnapshot)
        {
            o["is_a_snapshot"] = true;
            o["snapshot_of"] = SnapshotOf ?? string.Empty;
            if (SnapshotTime is { } time)
            {
                o["snapshot_time"] = time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            }
        }

        var path = SidecarPath(folder, Uuid);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temporary, o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temporary, path, overwrite: true);
    }
}
