namespace VmBackup.Core.Nau.CommandLine;

/// <summary>
/// The usage texts of v3.25 (<c>Usage-basic:</c>, <c>Usage-help:</c>, <c>Usage-config-file:</c>,
/// <c>Usage-examples:</c>) with <c>VmBackup.py</c> replaced by <c>vmbackup</c>, typos fixed, and VmBackup's
/// extensions added at the end of the help text. All lines are raw (no timestamp).
/// </summary>
public static class NauUsageText
{
    /// <summary>The command name used in the texts.</summary>
    public const string Program = "vmbackup";

    /// <summary>The texts for the requested topics, in the order basic, help, config, example.</summary>
    public static IReadOnlyList<string> For(NauUsageTopics topics)
    {
        var lines = new List<string>();
        if (topics.HasFlag(NauUsageTopics.Basic))
        {
            lines.AddRange(Basic);
        }

        if (topics.HasFlag(NauUsageTopics.Help))
        {
            lines.AddRange(Help);
        }

        if (topics.HasFlag(NauUsageTopics.Config))
        {
            lines.AddRange(ConfigFile);
        }

        if (topics.HasFlag(NauUsageTopics.Example))
        {
            lines.AddRange(Examples);
        }

        return lines;
    }

    /// <summary><c>Usage-basic:</c>, printed for too few arguments and after command-line errors.</summary>
    public static IReadOnlyList<string> Basic { get; } =
    [
        "Usage-basic:",
        $"{Program}  <password> <config-file|vm-selector> [preview] [other optional params]",
        "",
        $"see also: {Program} help    - for additional parameter usage",
        $"      or: {Program} config  - for config-file parameter usage",
        $"      or: {Program} example - for some simple example usage",
        "",
    ];

    /// <summary><c>Usage-help:</c>.</summary>
    public static IReadOnlyList<string> Help { get; } =
    [
        "Usage-help:",
        $"{Program}  <password|password-file> <config-file|vm-selector> [preview] [other optional params]",
        "",
        "required params:",
        "  <password|password-file> - xenserver password or obscured password stored in password-file",
        "  <config-file|vm-selector> - several options:",
        "    config-file - a common choice for production crontab execution",
        "    vm-selector - a single vm name or a vm regular expression that defaults to vm-export",
        $"      note with vm-selector then config defaults are set from {Program} default constants",
        "    vm-export=vm-selector  - explicit vm-export",
        "    vdi-export=vm-selector - explicit vdi-export",
        "",
        "optional params:",
        "  [preview] - preview/validate VmBackup config parameters and xenserver password",
        "  [compress=True|False] - only for vm-export functions automatic compression (default: False)",
        "  [ignore_extra_keys=True|False] - some config files may have extra params (default: False)",
        "  [pre_clean=True|False] - delete older backup(s) before performing new backup (default: False)",
        "",
        "alternate form - create-password-file:",
        $"{Program}  <password> create-password-file=filename",
        "",
        "  create-password-file=filename - create an obscured password file with the specified password",
        "  note - password filename is relative to current path or absolute path.",
        "",
        "VmBackup extensions (options starting with -- may appear anywhere; -- alone ends them):",
        "  [compress=zstd] - compress vm-export with zstd instead of gzip",
        "  --server URL - pool master to connect to (env VMBACKUP_SERVER, default: https://localhost/)",
        "  --user NAME - user to log in as (env VMBACKUP_USER, default: root)",
        "  --tls-fingerprint SHA256 - accept only the server certificate with this fingerprint",
        "  --insecure - do not verify the server certificate",
        "",
    ];

    /// <summary><c>Usage-config-file:</c>.</summary>
    public static IReadOnlyList<string> ConfigFile { get; } =
    [
        "Usage-config-file:",
        "",
        $"  # Example config file for {Program}",
        "",
        "  #### high level VmBackup settings ################",
        "  #### note - if any of these are not specified ####",
        "  ####   then VmBackup uses default constants   ####",
        "",
        "  # Take Xen Pool DB backup: 0=No, 1=Yes (script default to 0=No)",
        "  pool_db_backup=0",
        "",
        "  # How many backups to keep for each vm (script default to 4)",
        "  max_backups=3",
        "",
        "  #Backup Directory path (script default /snapshots/BACKUPS)",
        "  backup_dir=/path/to/backupspace",
        "",
        "  # applicable if vdi-export is used",
        "  # vdi_export_format either raw or vhd (script default to raw)",
        "  vdi_export_format=raw",
        "",
        "  #### specific VMs backup settings ####",
        "",
        "  # vm-export VM name-label of vm to backup. One per line - notice :max_backups override.",
        "  vm-export=my-vm-name",
        "  vm-export=my-second-vm",
        "  vm-export=my-third-vm:3",
        "",
        "  # special vdi-export - only backs up first disk. See README Documentation!",
        "  vdi-export=my-vm-name",
        "",
        "  # vm-export using VM regular expression - notice DEV.* has :max_backups override",
        "  vm-export=PROD.*",
        "  vm-export=DEV.*:2",
        "",
        "  # exclude specific VMs",
        "  exclude=PROD-WinDomainController",
        "  exclude=DEV-DestructiveTest",
        "",
    ];

    /// <summary><c>Usage-examples:</c>.</summary>
    public static IReadOnlyList<string> Examples { get; } =
    [
        "Usage-examples:",
        "",
        "  # config file",
        $"  {Program} password weekend.cfg",
        "",
        "  # single VM name, which is case sensitive",
        $"  {Program} password DEV-mySql",
        "",
        "  # single VM name using vdi-export instead of vm-export",
        $"  {Program} password vdi-export=DEV-mySql",
        "",
        "  # single VM name with spaces in name",
        $"  {Program} password \"DEV mySql\"",
        "",
        "  # VM regular expression - which may be more than one VM",
        $"  {Program} password DEV-my.*",
        "",
        "  # all VMs in pool",
        $"  {Program} password \".*\"",
        "",
        "Alternate form - create-password-file:",
        "  # create password file from command line password",
        $"  {Program} password create-password-file=/root/VmBackup.pass",
        "",
        "  # use password file + config file",
        $"  {Program} /root/VmBackup.pass monthly.cfg",
        "",
    ];
}
