using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using VmBackup.Core.Verify;
using VmBackup.Repository.Nau;

namespace VmBackup.Cli.Commands;

/// <summary>
/// <c>vmbackup list [--backup-dir D] [VM] [--json]</c>: every restore point under a NAUbackup backup folder with its
/// date, kind, size, success marker and verification state (from each folder's <c>verified</c> file; nothing is
/// re-read). A table on a terminal, tab-separated lines when redirected, a JSON array with <c>--json</c>.
/// </summary>
internal static class ListCommand
{
    /// <summary>NAUbackup's default <c>backup_dir</c>.</summary>
    public const string DefaultBackupDir = "/snapshots/BACKUPS";

    /// <summary>The environment variable that overrides <see cref="DefaultBackupDir"/>.</summary>
    public const string BackupDirVariable = "VMBACKUP_BACKUP_DIR";

    public static Command Create(IAnsiConsole console)
    {
        var vm = new Argument<string?>("VM") { Description = "Only this VM (its folder name under the backup directory)", Arity = ArgumentArity.ZeroOrOne };
        var backupDir = CreateBackupDirOption();
        var json = new Option<bool>("--json") { Description = "Print a JSON array (for scripts)" };
        var command = new Command("list", "List the restore points under a NAUbackup backup folder, with their verification state")
        {
            vm,
            backupDir,
            json,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            ResolveBackupDir(parseResult.GetValue(backupDir), Environment.GetEnvironmentVariable),
            parseResult.GetValue(vm),
            parseResult.GetValue(json) ? ListFormat.Json : Console.IsOutputRedirected ? ListFormat.Lines : ListFormat.Table,
            console,
            Console.Out,
            Console.Error,
            cancellationToken));
        return command;
    }

    /// <summary>The output forms of <c>vmbackup list</c>.</summary>
    public enum ListFormat
    {
        /// <summary>A table (terminal).</summary>
        Table,

        /// <summary>Tab-separated lines: vm, folder, date, kind, bytes, success, verified.</summary>
        Lines,

        /// <summary>A JSON array.</summary>
        Json,
    }

    public static Task<int> RunAsync(string backupDir, string? vm, ListFormat format, IAnsiConsole console, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        cancellationToken.ThrowIfCancellationRequested();
        var root = new NauBackupRoot(backupDir);
        if (!root.Exists)
        {
            error.WriteLine($"vmbackup list: backup directory {backupDir} does not exist");
            return Task.FromResult(ExitCodes.UsageOrSetupError);
        }

        if (vm is not null && !root.VmFolder(vm).Exists)
        {
            error.WriteLine($"vmbackup list: unknown VM: {vm} (no folder {NauBackupRoot.Join(backupDir, vm)})");
            return Task.FromResult(ExitCodes.UsageOrSetupError);
        }

        var points = RestorePointCatalog.List(root, vm);
        switch (format)
        {
            case ListFormat.Json:
                output.WriteLine(ToJson(points));
                break;
            case ListFormat.Lines:
                foreach (var p in points)
                {
                    output.WriteLine(string.Join('\t', p.VmFolderName, p.Point.Name, Date(p.Point.LocalTime), Kind(p.Point), Bytes(p.Point), p.Point.IsSuccessful ? "success" : "no-success", StateName(p.Verification)));
                }

                break;
            default:
                if (points.Count == 0)
                {
                    console.MarkupLineInterpolated($"No restore points under {backupDir}.");
                    break;
                }

                var table = new Table().AddColumns("VM", "date", "kind", "size", "success", "verified");
                foreach (var p in points)
                {
                    table.AddRow(
                        Markup.Escape(p.VmFolderName),
                        p.Point.LocalTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                        Markup.Escape(Kind(p.Point)),
                        p.Point.DataFile is { } d ? FormatSize(d.Length) : "-",
                        p.Point.IsSuccessful ? "[green]yes[/]" : "[red]no[/]",
                        VerifiedCell(p));
                }

                console.Write(table);
                break;
        }

        return Task.FromResult(ExitCodes.Success);
    }

    /// <summary><c>--backup-dir</c>, else <c>VMBACKUP_BACKUP_DIR</c>, else <c>/snapshots/BACKUPS</c>.</summary>
    public static string ResolveBackupDir(string? option, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return !string.IsNullOrEmpty(option) ? option
            : environment(BackupDirVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
            : DefaultBackupDir;
    }

    /// <summary>The <c>--backup-dir</c> option, shared by the commands that read a backup folder.</summary>
    public static Option<string?> CreateBackupDirOption() => new("--backup-dir")
    {
        Description = $"The NAUbackup backup directory (default: ${BackupDirVariable}, else {DefaultBackupDir})",
        HelpName = "DIR",
    };

    /// <summary>1536 → <c>1.5 KiB</c>; whole bytes below 1 KiB.</summary>
    public static string FormatSize(long bytes)
    {
        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        if (bytes < 1024)
        {
            return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        }

        var value = (double)bytes;
        var unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary>The state as printed and in JSON: <c>ok</c>, <c>failed</c>, <c>never</c>, <c>stale</c>.</summary>
    public static string StateName(VerificationState state) => state switch
    {
        VerificationState.Ok => "ok",
        VerificationState.Failed => "failed",
        VerificationState.Stale => "stale",
        _ => "never",
    };

    private static string VerifiedCell(RestorePointStatus p)
    {
        var when = p.Record is { } r ? " " + r.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : string.Empty;
        return p.Verification switch
        {
            VerificationState.Ok => "[green]ok[/]" + when,
            VerificationState.Failed => "[red]failed[/]" + when,
            VerificationState.Stale => "[yellow]stale[/]" + when,
            _ => "never",
        };
    }

    private static string Date(DateTime localTime) => localTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Kind(NauRestorePoint point) => point.DataFiles.Count switch
    {
        0 => "-",
        1 => VerificationRecord.KindName(point.DataFiles[0].Kind),
        _ => string.Join(',', point.DataFiles.Select(d => VerificationRecord.KindName(d.Kind))),
    };

    private static string Bytes(NauRestorePoint point) =>
        point.DataFile is { } d ? d.Length.ToString(CultureInfo.InvariantCulture) : "-";

    private static string ToJson(IReadOnlyList<RestorePointStatus> points)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var p in points)
            {
                json.WriteStartObject();
                json.WriteString("vm", p.VmFolderName);
                json.WriteString("folder", p.Point.Name);
                json.WriteString("path", p.Point.Path);
                json.WriteString("date", Date(p.Point.LocalTime));
                if (p.Point.DataFile is { } data)
                {
                    json.WriteString("kind", VerificationRecord.KindName(data.Kind));
                    json.WriteString("file", data.FileName);
                    json.WriteNumber("bytes", data.Length);
                }
                else
                {
                    json.WriteNull("kind");
                    json.WriteNull("file");
                    json.WriteNull("bytes");
                }

                json.WriteBoolean("success", p.Point.IsSuccessful);
                json.WriteString("verified", StateName(p.Verification));
                if (p.Record is { } record)
                {
                    json.WriteString("verifiedAt", record.Date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                }
                else
                {
                    json.WriteNull("verifiedAt");
                }

                if (p.Verification == VerificationState.Ok && p.Record?.Sha256 is { } sha)
                {
                    json.WriteString("sha256", sha);
                }
                else
                {
                    json.WriteNull("sha256");
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
