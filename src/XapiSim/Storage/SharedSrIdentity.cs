using System.Text.Json;
using System.Text.Json.Nodes;

namespace XapiSim.Storage;

/// <summary>
/// The identity of the SR whose VDIs a shared-storage folder holds, kept in <c>&lt;folder&gt;/sr.json</c> (what SM
/// keeps in the SR's metadata on a LUN): it lets <c>SR.probe</c> on another pool list the SR before introducing it.
/// </summary>
public sealed record SharedSrIdentity
{
    /// <summary>The file name inside the folder.</summary>
    public const string FileName = "sr.json";

    /// <summary>The SR uuid.</summary>
    public required string Uuid { get; init; }

    /// <summary>The SR's name label.</summary>
    public string NameLabel { get; init; } = string.Empty;

    /// <summary>The SR's description.</summary>
    public string NameDescription { get; init; } = string.Empty;

    /// <summary>The SR driver type (lvmoiscsi...).</summary>
    public string Type { get; init; } = string.Empty;

    /// <summary>The path of the identity file of <paramref name="folder"/>.</summary>
    public static string PathOf(string folder) => Path.Combine(folder, FileName);

    /// <summary>Reads the identity of <paramref name="folder"/>, or null when the folder holds no readable one.</summary>
    public static SharedSrIdentity? TryRead(string folder)
    {
        try
        {
            if (JsonNode.Parse(File.ReadAllText(PathOf(folder))) is not JsonObject o || o["uuid"]?.GetValue<string>() is not { Length: > 0 } uuid)
            {
                return null;
            }

            return new SharedSrIdentity
            {
                Uuid = uuid,
                NameLabel = o["name_label"]?.GetValue<string>() ?? string.Empty,
                NameDescription = o["name_description"]?.GetValue<string>() ?? string.Empty,
                Type = o["type"]?.GetValue<string>() ?? string.Empty,
            };
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Writes the identity into <paramref name="folder"/> (created if missing) via a temporary file, so readers never see half of it.</summary>
    public void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var o = new JsonObject
        {
            ["uuid"] = Uuid,
            ["name_label"] = NameLabel,
            ["name_description"] = NameDescription,
            ["type"] = Type,
        };
        var path = PathOf(folder);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temporary, o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temporary, path, overwrite: true);
    }
}
