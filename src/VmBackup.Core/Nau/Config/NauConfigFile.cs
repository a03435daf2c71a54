namespace VmBackup.Core.Nau.Config;

/// <summary>
/// Parses NAUbackup config-file text (behaviour spec §2). Valid v3.25 input gives v3.25's result: lines trimmed,
/// CRLF accepted, keys case-sensitive, no inline comments, <c>#</c> in column 0 is a comment. Where v3.25 crashes
/// (no <c>=</c>, several <c>=</c>, repeated scalar keys) this returns a one-line error per problem naming
/// <c>file:line</c>; an indented <c>#</c> line is a comment.
/// </summary>
public static class NauConfigFile
{
    /// <summary>v3.25's <c>expected_keys</c>.</summary>
    public static IReadOnlyList<string> NauKeys { get; } =
        ["pool_db_backup", "max_backups", "backup_dir", "status_log", "vdi_export_format", "vm-export", "vdi-export", "exclude"];

    /// <summary>VmBackup's additional keys (see <see cref="NauExtensionSettings"/>).</summary>
    public static IReadOnlyList<string> ExtensionKeys { get; } =
    [
        "compress", "mail_smtp_server", "mail_smtp_port", "mail_smtp_starttls", "mail_smtp_user",
        "mail_smtp_password_file", "mail_from", "mail_to",
    ];

    /// <summary>Parses config text.</summary>
    /// <param name="fileLabel">The file name used in messages (the command-line argument).</param>
    /// <param name="text">The whole file.</param>
    /// <param name="ignoreExtraKeys">The command-line <c>ignore_extra_keys</c> flag.</param>
    public static NauParseResult<NauConfigDocument> Parse(string fileLabel, string text, bool ignoreExtraKeys)
    {
        ArgumentNullException.ThrowIfNull(fileLabel);
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var errors = new List<NauLogLine>();
        var messages = new List<NauLogLine>();
        var directives = new List<NauDirective>();
        var ignored = new List<KeyValuePair<string, string>>();
        var scalars = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal);
        var unknownKeyErrors = false;

        var rawLines = text.Split('\n');
        for (var i = 0; i < rawLines.Length; i++)
        {
            var lineNo = i + 1;
            var raw = rawLines[i];
            var stripped = PythonText.Strip(raw);
            if (raw.StartsWith('#') || stripped.Length == 0)
            {
                continue;
            }

            if (stripped.StartsWith('#'))
            {
                continue; // indented comment: a comment (v3.25 crashes or reads an unknown key "# text")
            }

            var equals = stripped.Count(c => c == '=');
            if (equals == 0)
            {
                errors.Add(NauLogLine.Raw($"ERROR {fileLabel}:{lineNo}: expected key=value, found no '=': {stripped}", lineNo));
                continue;
            }

            if (equals > 1)
            {
                errors.Add(NauLogLine.Raw($"ERROR {fileLabel}:{lineNo}: more than one '=' in line (only key=value is allowed): {stripped}", lineNo));
                continue;
            }

            var eq = stripped.IndexOf('=', StringComparison.Ordinal);
            var key = PythonText.Strip(stripped[..eq]);
            var value = PythonText.Strip(stripped[(eq + 1)..]);

            switch (key)
            {
                case "exclude":
                    directives.Add(new NauDirective(NauDirectiveKind.Exclude, value, lineNo));
                    continue;
                case "vdi-export":
                    directives.Add(new NauDirective(NauDirectiveKind.VdiExport, value, lineNo));
                    continue;
                case "vm-export":
                    directives.Add(new NauDirective(NauDirectiveKind.VmExport, value, lineNo));
                    continue;
            }

            var known = NauKeys.Contains(key) || ExtensionKeys.Contains(key);
            if (!known)
            {
                if (ignoreExtraKeys)
                {
                    messages.Add(NauLogLine.Log($"ignoring config key: {key}", lineNo));
                    ignored.Add(new(key, value));
                }
                else
                {
                    messages.Add(NauLogLine.Raw($"***ERROR unexpected config key: {key}", lineNo));
                    unknownKeyErrors = true;
                }

                continue;
            }

            if (scalars.TryGetValue(key, out var first))
            {
                errors.Add(NauLogLine.Raw(
                    $"ERROR {fileLabel}:{lineNo}: config key {key} repeated (first set on line {first.Line}); set it once",
                    lineNo));
                continue;
            }

            scalars[key] = (value, lineNo);
        }

        var extensions = ParseExtensions(fileLabel, scalars, errors);
        if (errors.Count > 0)
        {
            return NauParseResult<NauConfigDocument>.ForError(errors.OrderBy(e => e.SourceLine).ToList());
        }

        var settings = new NauSettings
        {
            PoolDbBackup = Get("pool_db_backup") ?? NauSettings.DefaultPoolDbBackup,
            MaxBackups = Get("max_backups") ?? NauSettings.DefaultMaxBackups,
            BackupDir = Get("backup_dir") ?? NauSettings.DefaultBackupDir,
            StatusLog = Get("status_log") ?? NauSettings.DefaultStatusLog,
            VdiExportFormat = Get("vdi_export_format") ?? NauSettings.DefaultVdiExportFormat,
        };

        return NauParseResult<NauConfigDocument>.ForValue(new NauConfigDocument
        {
            FileLabel = fileLabel,
            Settings = settings,
            Extensions = extensions,
            Directives = directives,
            Messages = messages,
            HasUnknownKeyErrors = unknownKeyErrors,
            IgnoredKeys = ignored,
        });

        string? Get(string k) => scalars.TryGetValue(k, out var v) ? v.Value : null;
    }

    private static NauExtensionSettings ParseExtensions(
        string fileLabel,
        Dictionary<string, (string Value, int Line)> scalars,
        List<NauLogLine> errors)
    {
        var ext = NauExtensionSettings.None;
        foreach (var (key, (value, line)) in scalars)
        {
            switch (key)
            {
                case "compress":
                    CommandLine.NauCompression? c = value.ToLowerInvariant() switch
                    {
                        "true" => CommandLine.NauCompression.True,
                        "false" => CommandLine.NauCompression.False,
                        "zstd" => CommandLine.NauCompression.Zstd,
                        _ => null,
                    };
                    if (c is null)
                    {
                        errors.Add(Invalid(line, key, value, "False, True or zstd"));
                    }

                    ext = ext with { Compress = c };
                    break;
                case "mail_smtp_server":
                    ext = ext with { MailSmtpServer = value };
                    break;
                case "mail_smtp_port":
                    if (!PythonText.TryParseInt(value, out var port) || port is < 1 or > 65535)
                    {
                        errors.Add(Invalid(line, key, value, "a port number 1-65535"));
                    }
                    else
                    {
                        ext = ext with { MailSmtpPort = port };
                    }

                    break;
                case "mail_smtp_starttls":
                    bool? tls = value.ToLowerInvariant() switch { "true" => true, "false" => false, _ => null };
                    if (tls is null)
                    {
                        errors.Add(Invalid(line, key, value, "True or False"));
                    }

                    ext = ext with { MailSmtpStartTls = tls };
                    break;
                case "mail_smtp_user":
                    ext = ext with { MailSmtpUser = value };
                    break;
                case "mail_smtp_password_file":
                    ext = ext with { MailSmtpPasswordFile = value };
                    break;
                case "mail_from":
                    ext = ext with { MailFrom = value };
                    break;
                case "mail_to":
                    var to = value.Split(',').Select(PythonText.Strip).Where(a => a.Length > 0).ToList();
                    if (to.Count == 0)
                    {
                        errors.Add(Invalid(line, key, value, "one or more comma-separated addresses"));
                    }

                    ext = ext with { MailTo = to };
                    break;
            }
        }

        return ext;

        NauLogLine Invalid(int line, string key, string value, string expected) =>
            NauLogLine.Raw($"ERROR {fileLabel}:{line}: config {key} invalid -> {value} (expected {expected})", line);
    }
}
