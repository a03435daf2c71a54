using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using VmBackup.Core.Verify;
using VmBackup.Repository.Nau;

namespace VmBackup.Cli.Commands;

/// <summary>
/// <c>vmbackup verify &lt;backup-folder|VM|--all&gt; [--backup-dir D] [--json]</c>: reads every byte of each restore
/// point (<see cref="BackupVerifier"/>), prints one <c>OK</c> or <c>FAIL</c> line per restore point (one <c>FAIL</c>
/// line per failure) and records the result in each folder's <c>verified</c> file. Exit 0 when everything verified, 2
/// when anything failed, 1 for a usage error (unknown VM, not a backup folder).
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var target = new Argument<string?>("target")
        {
            Description = "A backup folder (.../backup-YYYY-MM-DD-(HH:MM:SS)), a VM folder, or a VM name under the backup directory",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var all = new Option<bool>("--all") { Description = "Verify every restore point of every VM under the backup directory" };
        var backupDir = ListCommand.CreateBackupDirOption();
        var json = new Option<bool>("--json") { Description = "Print a JSON array (for scripts)" };
        var command = new Command("verify", "Read every byte of NAUbackup restore points: checksums, structure, sizes; record the result in 'verified'")
        {
            target,
            all,
            backupDir,
            json,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            new VerifyRequest(
                parseResult.GetValue(target),
                parseResult.GetValue(all),
                ListCommand.ResolveBackupDir(parseResult.GetValue(backupDir), Environment.GetEnvironmentVariable),
                parseResult.GetValue(json)),
            Console.Out,
            Console.Error,
            null,
            cancellationToken));
        return command;
    }

    /// <summary>What to verify and how to print it.</summary>
    internal sealed record VerifyRequest(string? Target, bool All, string BackupDir, bool Json);

    public static async Task<int> RunAsync(VerifyRequest request, TextWriter output, TextWriter error, BackupVerifierOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var (folders, problem) = Resolve(request);
        if (problem is not null)
        {
            await error.WriteLineAsync("vmbackup verify: " + problem).ConfigureAwait(false);
            return ExitCodes.UsageOrSetupError;
        }

        var results = new List<BackupVerification>();
        foreach (var folder in folders)
        {
            BackupVerification result;
            try
            {
                result = await BackupVerifier.VerifyAsync(folder, options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                var name = Path.GetFileName(folder);
                var vm = Path.GetFileName(Path.GetDirectoryName(folder)) ?? string.Empty;
                result = new BackupVerification(folder, vm, name, null, null, 0, TimeSpan.Zero, DateTimeOffset.UnixEpoch, [new VerificationFailure(name, null, e.Message)], [], false);
            }

            results.Add(result);
            if (!request.Json)
            {
                foreach (var line in Lines(result))
                {
                    await output.WriteLineAsync(line).ConfigureAwait(false);
                }
            }
        }

        if (request.Json)
        {
            await output.WriteLineAsync(ToJson(results)).ConfigureAwait(false);
        }
        else if (results.Count > 1)
        {
            var bytes = results.Sum(r => r.BytesRead);
            var seconds = results.Sum(r => r.Duration.TotalSeconds);
            var failed = results.Count(r => !r.IsOk);
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"{results.Count} restore points: {results.Count - failed} OK, {failed} failed; read {ListCommand.FormatSize(bytes)} in {seconds:0.0} s")).ConfigureAwait(false);
        }

        return results.All(r => r.IsOk) ? ExitCodes.Success : ExitCodes.FinishedWithFailures;
    }

    /// <summary>
    /// <c>OK   &lt;vm&gt; backup-… &lt;kind&gt; &lt;size&gt; sha256:&lt;16 hex&gt;</c>, or one
    /// <c>FAIL &lt;vm&gt; backup-… &lt;file&gt; at offset N: &lt;message&gt;</c> per failure; then <c>WARN</c> lines.
    /// </summary>
    public static IEnumerable<string> Lines(BackupVerification result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var prefix = $"{result.VmFolderName} {result.BackupName}";
        if (result.IsOk)
        {
            var kind = result.DataFile is { } d ? VerificationRecord.KindName(d.Kind) : "-";
            var size = result.DataFile is { } f ? ListCommand.FormatSize(f.Length) : "-";
            yield return $"OK   {prefix} {kind} {size} sha256:{result.Sha256?[..16]}";
        }

        foreach (var failure in result.Failures)
        {
            yield return $"FAIL {prefix} {failure}";
        }

        foreach (var warning in result.Warnings)
        {
            yield return $"WARN {prefix} {warning}";
        }
    }

    private static (IReadOnlyList<string> Folders, string? Problem) Resolve(VerifyRequest request)
    {
        if (request.All == (request.Target is not null))
        {
            return ([], request.All ? "give either a backup folder or VM, or --all, not both" : "give a backup folder, a VM, or --all");
        }

        var root = new NauBackupRoot(request.BackupDir);
        if (request.All)
        {
            if (!root.Exists)
            {
                return ([], $"backup directory {request.BackupDir} does not exist");
            }

            var all = root.ListVmFolderNames().SelectMany(vm => BackupFolders(root.VmFolder(vm))).ToList();
            return all.Count == 0 ? ([], $"no backup folders under {request.BackupDir}") : (all, null);
        }

        var target = request.Target!;
        var targetName = Path.GetFileName(Path.TrimEndingDirectorySeparator(target));
        if (Directory.Exists(target) && NauNames.TryParseBackupFolderName(targetName, out _))
        {
            return ([target], null);
        }

        if (Directory.Exists(target) && (target.Contains('/', StringComparison.Ordinal) || !root.VmFolder(target).Exists))
        {
            // A VM folder given by path: <backup_dir>/<vm>.
            var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
            var vmFolder = new NauBackupRoot(Path.GetDirectoryName(full) ?? full).VmFolder(Path.GetFileName(full));
            var inFolder = BackupFolders(vmFolder);
            return inFolder.Count == 0 ? ([], $"not a backup folder: {target} (no backup-YYYY-MM-DD-(HH:MM:SS) folders in it)") : (inFolder, null);
        }

        if (NauNames.TryParseBackupFolderName(targetName, out _) || target.Contains('/', StringComparison.Ordinal))
        {
            return ([], $"not a backup folder: {target} (no such directory)");
        }

        var vm = root.VmFolder(target);
        if (!vm.Exists)
        {
            return ([], $"unknown VM: {target} (no folder {vm.Path})");
        }

        var folders = BackupFolders(vm);
        return folders.Count == 0 ? ([], $"no backup folders in {vm.Path}") : (folders, null);
    }

    private static List<string> BackupFolders(NauVmFolder vm) =>
        [.. vm.List().Backups.Select(b => vm.Open(b.Name).Path)];

    private static string ToJson(IReadOnlyList<BackupVerification> results)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var r in results)
            {
                json.WriteStartObject();
                json.WriteString("vm", r.VmFolderName);
                json.WriteString("folder", r.BackupName);
                json.WriteString("path", r.FolderPath);
                json.WriteString("result", r.IsOk ? "ok" : "failed");
                if (r.DataFile is { } data)
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

                if (r.Sha256 is { } sha)
                {
                    json.WriteString("sha256", sha);
                }
                else
                {
                    json.WriteNull("sha256");
                }

                json.WriteNumber("bytesRead", r.BytesRead);
                json.WriteNumber("seconds", Math.Round(r.Duration.TotalSeconds, 3));
                json.WriteStartArray("failures");
                foreach (var f in r.Failures)
                {
                    json.WriteStartObject();
                    json.WriteString("file", f.File);
                    if (f.Offset is { } offset)
                    {
                        json.WriteNumber("offset", offset);
                    }
                    else
                    {
                        json.WriteNull("offset");
                    }

                    json.WriteBoolean("uncompressedOffset", f.OffsetInDecompressedStream);
                    json.WriteString("message", f.Message);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteStartArray("warnings");
                foreach (var w in r.Warnings)
                {
                    json.WriteStringValue(w);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
