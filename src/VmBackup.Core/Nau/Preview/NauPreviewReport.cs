using VmBackup.Core.Nau.CommandLine;
using VmBackup.Core.Nau.Config;
using VmBackup.Core.Nau.Selection;

namespace VmBackup.Core.Nau.Preview;

/// <summary>
/// The settings dump v3.25 prints before validation (spec §4 steps 3-6), byte for byte: the header keeps the
/// text <c>VmBackup.py running with these settings:</c> so that existing log greps keep working; lists are sorted
/// ordinally and joined with <c>", "</c>; an empty list prints with a trailing space.
/// </summary>
public static class NauPreviewReport
{
    /// <summary>The header line (kept as v3.25 prints it).</summary>
    public const string SettingsHeader = "VmBackup.py running with these settings:";

    /// <summary>The dump lines (all timestamped).</summary>
    /// <param name="targetArgument">The second positional argument as given.</param>
    /// <param name="settings">Settings as loaded.</param>
    /// <param name="compress">The effective compression.</param>
    /// <param name="extensions">VmBackup extension keys; printed only when set, after v3.25's lines.</param>
    /// <param name="selection">The lists.</param>
    public static IReadOnlyList<NauLogLine> SettingsDump(
        string targetArgument,
        NauSettings settings,
        NauCompression compress,
        NauExtensionSettings extensions,
        NauSelection selection)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(extensions);
        ArgumentNullException.ThrowIfNull(selection);
        var lines = new List<string>
        {
            $"VmBackup config loaded from: {targetArgument}",
            SettingsHeader,
            $"  backup_dir        = {settings.BackupDir}",
            $"  status_log        = {settings.StatusLog}",
            $"  compress          = {CompressText(compress)}",
            $"  max_backups       = {settings.MaxBackups}",
            $"  vdi_export_format = {settings.VdiExportFormat}",
            $"  pool_db_backup    = {settings.PoolDbBackup}",
        };

        if (extensions.MailSmtpServer is not null)
        {
            lines.Add($"  mail_smtp_server  = {extensions.MailSmtpServer}");
        }

        if (extensions.MailSmtpPort is not null)
        {
            lines.Add($"  mail_smtp_port    = {extensions.MailSmtpPort}");
        }

        if (extensions.MailSmtpStartTls is not null)
        {
            lines.Add($"  mail_smtp_starttls = {PythonText.Bool(extensions.MailSmtpStartTls.Value)}");
        }

        if (extensions.MailSmtpUser is not null)
        {
            lines.Add($"  mail_smtp_user    = {extensions.MailSmtpUser}");
        }

        if (extensions.MailSmtpPasswordFile is not null)
        {
            lines.Add($"  mail_smtp_password_file = {extensions.MailSmtpPasswordFile}");
        }

        if (extensions.MailFrom is not null)
        {
            lines.Add($"  mail_from         = {extensions.MailFrom}");
        }

        if (extensions.MailTo is not null)
        {
            lines.Add($"  mail_to           = {string.Join(", ", extensions.MailTo)}");
        }

        AddList(lines, "exclude", selection.Exclude);
        AddList(lines, "vdi-export", selection.VdiExport.Select(e => e.ToString()));
        AddList(lines, "vm-export", selection.VmExport.Select(e => e.ToString()));
        return lines.Select(l => NauLogLine.Log(l)).ToList();
    }

    /// <summary>v3.25 prints the Python bool; <c>zstd</c> is VmBackup's extension.</summary>
    public static string CompressText(NauCompression compress) => compress switch
    {
        NauCompression.True => "True",
        NauCompression.Zstd => "zstd",
        _ => "False",
    };

    /// <summary>The final preview line: <c>SUCCESS preview of parameters &lt;W&gt;</c> or <c>ERROR regex errors found (see above) &lt;W&gt;</c>.</summary>
    public static NauLogLine FinalPreviewLine(bool regexError, bool warning)
    {
        var w = WarningSuffix(warning);
        return NauLogLine.Log(regexError ? $"ERROR regex errors found (see above) {w}" : $"SUCCESS preview of parameters {w}");
    }

    /// <summary><c>&lt;W&gt;</c>: empty, or <c> - WARNINGS found (see above)</c>.</summary>
    public static string WarningSuffix(bool warning) => warning ? " - WARNINGS found (see above)" : string.Empty;

    private static void AddList(List<string> lines, string name, IEnumerable<string> items)
    {
        var sorted = items.Order(StringComparer.Ordinal).ToList();
        lines.Add($"  {name} (cnt)= {sorted.Count}");
        lines.Add($"  {name}: {string.Join(", ", sorted)}");
    }
}
