namespace VmBackup.Core.Nau.Config;

/// <summary>
/// A parsed NAUbackup config file: settings (defaults filled in), the ordered selection directives, and the
/// load-time messages (<c>***ERROR unexpected config key: …</c> / <c>ignoring config key: …</c>) tagged with their
/// line so they interleave with selection messages in file order.
/// </summary>
public sealed record NauConfigDocument
{
    /// <summary>How the file is named in messages (the argument as given).</summary>
    public required string FileLabel { get; init; }

    /// <summary>Scalar settings as loaded, defaults for the missing ones.</summary>
    public NauSettings Settings { get; init; } = NauSettings.Defaults;

    /// <summary>VmBackup extension keys.</summary>
    public NauExtensionSettings Extensions { get; init; } = NauExtensionSettings.None;

    /// <summary><c>exclude</c>/<c>vdi-export</c>/<c>vm-export</c> lines in file order.</summary>
    public IReadOnlyList<NauDirective> Directives { get; init; } = [];

    /// <summary>Unknown-key messages, in file order, each with its <see cref="NauLogLine.SourceLine"/>.</summary>
    public IReadOnlyList<NauLogLine> Messages { get; init; } = [];

    /// <summary>
    /// True when unknown keys were found without <c>ignore_extra_keys=true</c>: v3.25 finishes loading (printing
    /// selection messages), then prints <c>ERROR in config_load, consider ignore_extra_keys=true</c> and exits 1.
    /// </summary>
    public bool HasUnknownKeyErrors { get; init; }

    /// <summary>Key/value pairs of unknown keys kept under <c>ignore_extra_keys=true</c> (never used, as in v3.25).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> IgnoredKeys { get; init; } = [];
}
