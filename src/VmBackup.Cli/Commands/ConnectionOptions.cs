using System.CommandLine;
using VmBackup.Core.Nau.CommandLine;
using VmBackup.Xapi;

namespace VmBackup.Cli.Commands;

/// <summary>
/// The connection options every vmbackup verb other than the NAUbackup form shares: <c>--server</c>
/// (<c>VMBACKUP_SERVER</c>, default <c>https://localhost</c>), <c>--user</c> (<c>VMBACKUP_USER</c>, default
/// <c>root</c>), the password from <c>--password-file FILE</c> (NAUbackup's base64) or <c>VMBACKUP_PASSWORD</c> (never
/// an argument), <c>--tls-fingerprint</c>, <c>--insecure</c>, and <c>--backup-dir</c> (<c>VMBACKUP_BACKUP_DIR</c>,
/// default <c>/snapshots/BACKUPS</c>).
/// </summary>
/// <param name="environment">Environment variable lookup.</param>
internal sealed class ConnectionOptions(Func<string, string?> environment)
{
    /// <summary>NAUbackup's default backup directory.</summary>
    public const string DefaultBackupDir = "/snapshots/BACKUPS";

    public Option<string?> Server { get; } = new("--server") { Description = "Pool master URL [env VMBACKUP_SERVER, default https://localhost]" };

    public Option<string?> User { get; } = new("--user") { Description = "User name [env VMBACKUP_USER, default root]" };

    public Option<string?> PasswordFile { get; } = new("--password-file") { Description = "File with the password, base64 as NAUbackup's create-password-file writes it [else env VMBACKUP_PASSWORD]" };

    public Option<string?> TlsFingerprint { get; } = new("--tls-fingerprint") { Description = "SHA-256 fingerprint of the pool's TLS certificate to pin" };

    public Option<bool> Insecure { get; } = new("--insecure") { Description = "Do not validate the pool's TLS certificate" };

    public Option<string?> BackupDir { get; } = new("--backup-dir") { Description = "NAUbackup backup_dir [env VMBACKUP_BACKUP_DIR, default /snapshots/BACKUPS]" };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(Server);
        command.Add(User);
        command.Add(PasswordFile);
        command.Add(TlsFingerprint);
        command.Add(Insecure);
        command.Add(BackupDir);
    }

    /// <summary>The backup directory to use.</summary>
    public string BackupDirectory(ParseResult result) =>
        result.GetValue(BackupDir) ?? NonEmpty(environment("VMBACKUP_BACKUP_DIR")) ?? DefaultBackupDir;

    /// <summary>The server URL to use.</summary>
    public string ServerUrl(ParseResult result) =>
        result.GetValue(Server) ?? NonEmpty(environment("VMBACKUP_SERVER")) ?? NauConnectionOptions.DefaultServer;

    /// <summary>
    /// Logs in. On failure writes one line to <paramref name="error"/> (never the password) and returns null.
    /// </summary>
    public async Task<XenApiSession?> ConnectAsync(ParseResult result, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(error);
        var server = ServerUrl(result);
        var user = result.GetValue(User) ?? NonEmpty(environment("VMBACKUP_USER")) ?? NauConnectionOptions.DefaultUser;
        string password;
        if (result.GetValue(PasswordFile) is { } file)
        {
            string content;
            try
            {
                content = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"vmbackup: cannot read password file {file}: {e.Message}").ConfigureAwait(false);
                return null;
            }

            var decoded = NauPasswordFile.Decode(file, content);
            if (!decoded.TryGetValue(out var fromFile))
            {
                await error.WriteLineAsync($"vmbackup: password file {file} is not base64 (write it with: vmbackup PASSWORD create-password-file={file})").ConfigureAwait(false);
                return null;
            }

            password = fromFile;
        }
        else if (environment("VMBACKUP_PASSWORD") is { Length: > 0 } fromEnvironment)
        {
            password = fromEnvironment;
        }
        else
        {
            await error.WriteLineAsync("vmbackup: no password: pass --password-file FILE or set VMBACKUP_PASSWORD (a password is never taken as an argument)").ConfigureAwait(false);
            return null;
        }

        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            await error.WriteLineAsync($"vmbackup: --server {server} is not an http(s) URL").ConfigureAwait(false);
            return null;
        }

        try
        {
            var options = new XenApiClientOptions { TlsFingerprint = result.GetValue(TlsFingerprint), AllowInsecure = result.GetValue(Insecure) };
            return await XenApiSession.ConnectAsync(uri, user, password, options, cancellationToken).ConfigureAwait(false);
        }
        catch (XenApiException e)
        {
            await error.WriteLineAsync($"vmbackup: login to {uri.GetLeftPart(UriPartial.Authority)} as {user} failed: {e.ErrorCode}").ConfigureAwait(false);
            return null;
        }
        catch (XenApiConnectionException e)
        {
            await error.WriteLineAsync($"vmbackup: cannot connect to {uri.GetLeftPart(UriPartial.Authority)}: {e.Message}").ConfigureAwait(false);
            return null;
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
