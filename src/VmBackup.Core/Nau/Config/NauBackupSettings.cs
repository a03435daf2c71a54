namespace VmBackup.Core.Nau.Config;

/// <summary>Validated, typed scalar settings (the result of <see cref="NauConfigValidator"/>).</summary>
/// <param name="PoolDbBackup">Dump the pool database first.</param>
/// <param name="MaxBackups">Backups kept per VM unless an entry overrides it (≥ 1).</param>
/// <param name="BackupDir">Root of all backups (existed at validation time).</param>
/// <param name="StatusLog">Status log path (config mode only).</param>
/// <param name="VdiExportFormat">Format for vdi-export.</param>
public sealed record NauBackupSettings(
    bool PoolDbBackup,
    int MaxBackups,
    string BackupDir,
    string StatusLog,
    NauVdiExportFormat VdiExportFormat);
