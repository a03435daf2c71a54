namespace VmBackup.Core.Nau.CommandLine;

/// <summary>
/// Parses the NAUbackup v3.25 command line (behaviour spec §1) into a <see cref="NauCommandLine"/>, never throwing
/// for bad input: errors come back as the lines to print and exit status 1.
/// </summary>
public static class NauCommandLineParser
{
    private const string CreatePasswordFileWord = "create-password-file";

    /// <summary>Parses <paramref name="args"/> (without the program name).</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="paths">Answers "is this an existing path" for argv[1] (password file) and argv[2] (config file).</param>
    /// <param name="environment">Reads <c>VMBACKUP_SERVER</c>/<c>VMBACKUP_USER</c>; null means no environment.</param>
    public static NauParseResult<NauCommandLine> Parse(
        IReadOnlyList<string> args,
        IPathProbe paths,
        Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(paths);

        // 0. VmBackup's --options (anywhere; "--" alone ends them).
        var positional = new List<string>();
        string? server = null, user = null, fingerprint = null;
        var insecure = false;
        var wantHelp = false;
        var optionsEnded = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (optionsEnded || !arg.StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }

            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? arg : arg[..eq];
            string? inlineValue = eq < 0 ? null : arg[(eq + 1)..];
            switch (name)
            {
                case "--help":
                    wantHelp = true;
                    break;
                case "--insecure":
                    if (inlineValue is not null)
                    {
                        return Error($"ERROR option --insecure takes no value: {arg}");
                    }

                    insecure = true;
                    break;
                case "--server":
                case "--user":
                case "--tls-fingerprint":
                    string value;
                    if (inlineValue is not null)
                    {
                        value = inlineValue;
                    }
                    else if (i + 1 < args.Count)
                    {
                        value = args[++i];
                    }
                    else
                    {
                        return Error($"ERROR option {name} needs a value");
                    }

                    if (value.Length == 0)
                    {
                        return Error($"ERROR option {name} needs a value");
                    }

                    if (name == "--server")
                    {
                        server = value;
                    }
                    else if (name == "--user")
                    {
                        user = value;
                    }
                    else
                    {
                        fingerprint = value;
                    }

                    break;
                default:
                    return Error($"ERROR unknown option: {arg} (VmBackup options are --server, --user, --tls-fingerprint, --insecure; use -- before a password that starts with --)");
            }
        }

        var connection = new NauConnectionOptions(
            server ?? NonEmpty(environment?.Invoke("VMBACKUP_SERVER")),
            user ?? NonEmpty(environment?.Invoke("VMBACKUP_USER")),
            fingerprint,
            insecure);

        // 1. help / config / example anywhere (exact, case-sensitive).
        var topics = NauUsageTopics.None;
        if (wantHelp || positional.Contains("help"))
        {
            topics |= NauUsageTopics.Help;
        }

        if (positional.Contains("config"))
        {
            topics |= NauUsageTopics.Config;
        }

        if (positional.Contains("example"))
        {
            topics |= NauUsageTopics.Example;
        }

        if (topics != NauUsageTopics.None)
        {
            return Usage(topics, connection);
        }

        // 2. Too few arguments.
        if (positional.Count < 2)
        {
            return Usage(NauUsageTopics.Basic, connection);
        }

        // 3. Password (a file if the argument names an existing path).
        var password = new NauPasswordSource(positional[0], paths.Exists(positional[0]));
        var second = positional[1];

        // 4. create-password-file=FILE.
        if (second.ToLowerInvariant().StartsWith(CreatePasswordFileWord, StringComparison.Ordinal))
        {
            var stripped = PythonText.Strip(second);
            var eq = stripped.IndexOf('=', StringComparison.Ordinal);
            var file = eq < 0 ? string.Empty : stripped[(eq + 1)..];
            if (file.Length == 0)
            {
                return Error($"ERROR create-password-file needs a file name: {CreatePasswordFileWord}=FILE (got: {second})");
            }

            return NauParseResult<NauCommandLine>.ForValue(new NauCommandLine
            {
                Action = NauAction.CreatePasswordFile,
                Password = password,
                PasswordFileToCreate = file,
                TargetArgument = second,
                Connection = connection,
            });
        }

        // 5. Optional parameters.
        var preview = false;
        NauCompression? compress = null;
        var ignoreExtraKeys = false;
        var preClean = false;
        for (var i = 2; i < positional.Count; i++)
        {
            var parts = PythonText.Strip(positional[i]).Split('=');
            var key = parts[0].ToLowerInvariant();
            var hasValue = parts.Length > 1;
            var value = hasValue ? parts[1].ToLowerInvariant() : string.Empty;
            switch (key)
            {
                case "preview":
                    preview = true;
                    break;
                case "compress":
                    if (!hasValue)
                    {
                        return Error($"ERROR missing value for parameter: {positional[i]} (use compress=True|False|zstd)");
                    }

                    compress = value switch
                    {
                        "true" => NauCompression.True,
                        "zstd" => NauCompression.Zstd,
                        _ => NauCompression.False,
                    };
                    break;
                case "ignore_extra_keys":
                case "pre_clean":
                    if (!hasValue)
                    {
                        return Error($"ERROR missing value for parameter: {positional[i]} (use {key}=True|False)");
                    }

                    if (key == "pre_clean")
                    {
                        preClean = value == "true";
                    }
                    else
                    {
                        ignoreExtraKeys = value == "true";
                    }

                    break;
                default:
                    return ErrorWithUsage($"ERROR invalid parm: {positional[i]}");
            }
        }

        var command = new NauCommandLine
        {
            Action = NauAction.Run,
            Password = password,
            TargetArgument = second,
            Preview = preview,
            Compress = compress,
            IgnoreExtraKeys = ignoreExtraKeys,
            PreClean = preClean,
            Connection = connection,
        };

        // 6. Config file or vm-selector.
        if (paths.Exists(second))
        {
            return NauParseResult<NauCommandLine>.ForValue(command with { TargetKind = NauTargetKind.ConfigFile });
        }

        var option = "vm-export";
        var selector = second;
        if (second.Count(c => c == '=') == 1)
        {
            var split = PythonText.Strip(second).Split('=');
            option = split[0];
            selector = split[1];
        }

        if (option is not ("vm-export" or "vdi-export"))
        {
            return ErrorWithUsage($"ERROR invalid config/vm_name: {second}");
        }

        return NauParseResult<NauCommandLine>.ForValue(command with
        {
            TargetKind = NauTargetKind.VmSelector,
            SelectorKey = option,
            Selector = selector,
        });
    }

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static NauParseResult<NauCommandLine> Usage(NauUsageTopics topics, NauConnectionOptions connection) =>
        NauParseResult<NauCommandLine>.ForValue(new NauCommandLine
        {
            Action = NauAction.Usage,
            UsageTopics = topics,
            Connection = connection,
        });

    private static NauParseResult<NauCommandLine> Error(string message) =>
        NauParseResult<NauCommandLine>.ForError(message);

    private static NauParseResult<NauCommandLine> ErrorWithUsage(string message)
    {
        var lines = new List<NauLogLine> { NauLogLine.Raw(message) };
        lines.AddRange(NauUsageText.Basic.Select(l => NauLogLine.Raw(l)));
        return NauParseResult<NauCommandLine>.ForError(lines);
    }
}
