namespace VmBackup.Core.Nau.Config;

/// <summary>The three repeatable selection keys of a NAUbackup config file.</summary>
public enum NauDirectiveKind
{
    /// <summary><c>exclude=selector</c> (no <c>:max_backups</c> parsing).</summary>
    Exclude,

    /// <summary><c>vdi-export=selector[:max_backups]</c>.</summary>
    VdiExport,

    /// <summary><c>vm-export=selector[:max_backups]</c>.</summary>
    VmExport,
}
