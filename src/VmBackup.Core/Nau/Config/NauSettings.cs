namespace VmBackup.Core.Nau.Config;

/// <summary>
/// The five scalar settings of v3.25 as loaded (strings, not normalised; defaults filled in), which is what the
/// preview prints. <see cref="NauConfigValidator"/> turns them into <see cref="NauBackupSettings"/>.
/// </summary>
public sealed record NauSettings
{
    /// <summary><c>DEFAULT_POOL_DB_BACKUP</c>.</summary>
    public const string DefaultPoolDbBackup = "0";

    /// <summary><c>DEFAULT_MAX_BACKUPS</c>.</summary>
    public const string DefaultMaxBackups = "4";

    /// <summary><c>DEFAULT_BACKUP_DIR</c>.</summary>
    public const string DefaultBackupDir = "/snapshots/BACKUPS";

    /// <summary><c>DEFAULT_STATUS_LOG</c>.</summary>
    public const string DefaultStatusLog = "/snapshots/NAUbackup/status.log";

    /// <summary><c>DEFAULT_VDI_EXPORT_FORMAT</c>.</summary>
    public const string DefaultVdiExportFormat = "raw";

    /// <summary>The hard-coded defaults (CLI mode).</summary>
    public static NauSettings Defaults { get; } = new();

    /// <summary><c>pool_db_backup</c>: <value>The default value is <c>0</c>.</value></summary>
    public string PoolDbBackup { get; init; } = DefaultPoolDbBackup;

    /// <summary><c>max_backups</c>: <value>The default value is <c>4</c>.</value></summary>
    public string MaxBackups { get; init; } = DefaultMaxBackups;

    /// <summary><c>backup_dir</c>: <value>The default value is <c>/snapshots/BACKUPS</c>.</value></summary>
    public string BackupDir { get; init; } = DefaultBackupDir;

    /// <summary><c>status_log</c>: <value>The default value is <c>/snapshots/NAUbackup/status.log</c>.</value></summary>
    public string StatusLog { get; init; } = DefaultStatusLog;

    /// <summary><c>vdi_export_format</c>: <value>The default value is <c>raw</c>.</value></summary>
    public string VdiExportFormat { get; init; } = DefaultVdiExportFormat;
}
