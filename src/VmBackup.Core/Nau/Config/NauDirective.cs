namespace VmBackup.Core.Nau.Config;

/// <summary>One selection line of a config file (or the CLI vm-selector), in file order.</summary>
/// <param name="Kind">exclude, vdi-export or vm-export.</param>
/// <param name="Value">The trimmed value, verbatim (may be empty; may carry <c>:max_backups</c>).</param>
/// <param name="Line">1-based line number in the config file; null for the command line.</param>
public sealed record NauDirective(NauDirectiveKind Kind, string Value, int? Line)
{
    /// <summary>The config key as written: <c>exclude</c>, <c>vdi-export</c> or <c>vm-export</c>.</summary>
    public string Key => KeyOf(Kind);

    /// <summary>The config key for a kind.</summary>
    public static string KeyOf(NauDirectiveKind kind) => kind switch
    {
        NauDirectiveKind.Exclude => "exclude",
        NauDirectiveKind.VdiExport => "vdi-export",
        _ => "vm-export",
    };
}
