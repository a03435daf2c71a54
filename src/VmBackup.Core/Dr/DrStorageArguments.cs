namespace VmBackup.Core.Dr;

/// <summary>
/// Turns <c>--type</c>, <c>--device-config key=value</c>, <c>--device-config-file</c> and <c>--sr-uuid</c> into a
/// <see cref="DrStorageTarget"/>, with one-line errors naming the culprit. Values are never echoed (a device
/// configuration may hold a CHAP password).
/// </summary>
public static class DrStorageArguments
{
    /// <summary>The storage to introduce, or null when no option names one.</summary>
    /// <exception cref="DrException">An option without the others it needs, a pair without '=', a duplicate key, an unreadable file.</exception>
    public static DrStorageTarget? Parse(string? type, IReadOnlyList<string> pairs, FileInfo? file, IReadOnlyList<string> srUuids)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(srUuids);
        if (type is null)
        {
            if (pairs.Count > 0 || file is not null || srUuids.Count > 0)
            {
                throw new DrException("--device-config, --device-config-file and --sr-uuid need --type (e.g. --type lvmoiscsi)");
            }

            return null;
        }

        if (string.IsNullOrWhiteSpace(type))
        {
            throw new DrException("--type is empty");
        }

        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < pairs.Count; i++)
        {
            Add(config, pairs[i], $"--device-config #{i + 1}");
        }

        if (file is not null)
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(file.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new DrException($"--device-config-file {file.FullName}: {e.Message}");
            }

            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].Trim();
                if (line.Length > 0 && !line.StartsWith('#'))
                {
                    Add(config, line, $"{file.FullName} line {i + 1}");
                }
            }
        }

        if (config.Count == 0)
        {
            throw new DrException($"--type {type} needs the storage's --device-config (e.g. target=, targetIQN=, SCSIid= for lvmoiscsi)");
        }

        foreach (var uuid in srUuids)
        {
            if (!Guid.TryParseExact(uuid, "D", out _))
            {
                throw new DrException($"--sr-uuid '{uuid}' is not a uuid");
            }
        }

        return new DrStorageTarget { Type = type, DeviceConfig = config, SrUuids = srUuids.Distinct(StringComparer.OrdinalIgnoreCase).ToList() };
    }

    private static void Add(Dictionary<string, string> config, string pair, string where)
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new DrException($"{where}: expected key=value");
        }

        var key = pair[..equals].Trim();
        if (!config.TryAdd(key, pair[(equals + 1)..].Trim()))
        {
            throw new DrException($"{where}: key '{key}' given twice");
        }
    }
}
