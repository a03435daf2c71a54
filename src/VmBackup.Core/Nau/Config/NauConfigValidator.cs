using VmBackup.Core.Nau.Selection;

namespace VmBackup.Core.Nau.Config;

/// <summary>
/// v3.25's <c>is_config_valid</c> (behaviour spec §2.5) with the same messages and order: the first four checks
/// stop at the first failure; then every vdi-export and vm-export entry with a non-integer <c>:suffix</c> is reported.
/// A suffix ≤ 0 passes (as v3.25, the global max_backups applies) but VmBackup prints a warning.
/// </summary>
public static class NauConfigValidator
{
    /// <summary>Validates loaded settings and the selected lists.</summary>
    public static NauValidationResult Validate(
        NauSettings settings,
        IReadOnlyList<NauSelectionEntry> vdiExport,
        IReadOnlyList<NauSelectionEntry> vmExport,
        IPathProbe paths)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(vdiExport);
        ArgumentNullException.ThrowIfNull(vmExport);
        ArgumentNullException.ThrowIfNull(paths);

        if (!PythonText.TryParseInt(settings.PoolDbBackup, out var poolDb))
        {
            return Fail($"ERROR: config pool_db_backup non-numeric -> {settings.PoolDbBackup}");
        }

        if (poolDb is not (0 or 1))
        {
            return Fail($"ERROR: config pool_db_backup out of range -> {settings.PoolDbBackup}");
        }

        if (!PythonText.TryParseInt(settings.MaxBackups, out var maxBackups))
        {
            return Fail($"ERROR: config max_backups non-numeric -> {settings.MaxBackups}");
        }

        if (maxBackups < 1)
        {
            return Fail($"ERROR: config max_backups out of range -> {settings.MaxBackups}");
        }

        NauVdiExportFormat format;
        switch (settings.VdiExportFormat)
        {
            case "raw": format = NauVdiExportFormat.Raw; break;
            case "vhd": format = NauVdiExportFormat.Vhd; break;
            default: return Fail($"ERROR: config vdi_export_format invalid -> {settings.VdiExportFormat}");
        }

        if (!paths.Exists(settings.BackupDir))
        {
            return Fail($"ERROR: config backup_dir does not exist -> {settings.BackupDir}");
        }

        var lines = new List<NauLogLine>();
        var valid = true;
        foreach (var entry in vdiExport.Concat(vmExport))
        {
            if (!entry.HasValidSuffix)
            {
                lines.Add(NauLogLine.Raw($"ERROR: vm_max_backup is invalid - {entry}"));
                valid = false;
            }
            else if (entry.HasIgnoredSuffix)
            {
                lines.Add(NauLogLine.Raw(
                    $"***WARNING - vm_max_backup <= 0 ignored, using max_backups={maxBackups} - {entry}"));
            }
        }

        return new NauValidationResult(
            lines,
            valid ? new NauBackupSettings(poolDb == 1, maxBackups, settings.BackupDir, settings.StatusLog, format) : null);

        static NauValidationResult Fail(string message) => new([NauLogLine.Raw(message)], null);
    }
}
