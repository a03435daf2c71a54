namespace VmBackup.Core.Nau.Selection;

/// <summary>
/// One entry of the vdi-export or vm-export list: a VM name plus the verbatim <c>:max_backups</c> suffix if one
/// was given. Kept structured (v3.25 kept <c>"name:suffix"</c> strings and re-split them, which broke names with <c>:</c>).
/// </summary>
/// <param name="VmName">The VM's name_label, exactly.</param>
/// <param name="MaxBackupsSuffix">The text after the separating <c>:</c> (non-empty, verbatim, e.g. <c>"3"</c>, <c>" 3"</c>, <c>"0"</c>); null for none.</param>
public sealed record NauSelectionEntry(string VmName, string? MaxBackupsSuffix = null)
{
    /// <summary>v3.25's list text: <c>name</c> or <c>name:suffix</c>.</summary>
    public override string ToString() => MaxBackupsSuffix is null ? VmName : VmName + ":" + MaxBackupsSuffix;

    /// <summary>True when there is no suffix or the suffix parses as a Python <c>int()</c>.</summary>
    public bool HasValidSuffix => MaxBackupsSuffix is null || PythonText.TryParseInt(MaxBackupsSuffix, out _);

    /// <summary>True for a valid suffix ≤ 0 (<c>:0</c>, <c>:-1</c>), which v3.25 accepts and ignores.</summary>
    public bool HasIgnoredSuffix => MaxBackupsSuffix is not null && PythonText.TryParseInt(MaxBackupsSuffix, out var n) && n <= 0;

    /// <summary>The per-VM override when it is a valid integer &gt; 0, else null.</summary>
    public int? MaxBackupsOverride =>
        MaxBackupsSuffix is not null && PythonText.TryParseInt(MaxBackupsSuffix, out var n) && n > 0 ? n : null;

    /// <summary>v3.25's <c>get_vm_max_backups</c>: the override if &gt; 0, else the global value.</summary>
    public int EffectiveMaxBackups(int globalMaxBackups) => MaxBackupsOverride ?? globalMaxBackups;
}
