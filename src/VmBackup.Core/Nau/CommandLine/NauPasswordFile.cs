using System.Text;

namespace VmBackup.Core.Nau.CommandLine;

/// <summary>
/// NAUbackup's "obscured" password file: standard base64 (RFC 4648, <c>=</c> padding) of the password bytes,
/// no newline, no header. <c>secret</c> ↔ <c>c2VjcmV0</c>.
/// </summary>
public static class NauPasswordFile
{
    /// <summary>The file content for a password (base64 of its UTF-8 bytes, no newline).</summary>
    public static string Encode(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(password));
    }

    /// <summary>
    /// Decodes file content like Python 2 <c>base64.b64decode</c>: characters outside the alphabet (such as a
    /// trailing newline) are ignored; incomplete padding is an error naming <paramref name="fileName"/>.
    /// </summary>
    public static NauParseResult<string> Decode(string fileName, string content)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(content);
        var data = new StringBuilder(content.Length);
        var padding = 0;
        foreach (var c in content)
        {
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '+' or '/')
            {
                if (padding > 0)
                {
                    break; // data after padding: Python stops at the end of the padded quantum
                }

                data.Append(c);
            }
            else if (c == '=')
            {
                padding++;
            }
        }

        var remainder = data.Length % 4;
        var needed = remainder switch { 0 => 0, 2 => 2, 3 => 1, _ => -1 };
        if (needed < 0 || padding < needed)
        {
            return NauParseResult<string>.ForError(
                $"ERROR password file {fileName}: incorrect base64 padding (expected base64 of the password, as written by create-password-file)");
        }

        data.Append('=', needed);
        try
        {
            var bytes = Convert.FromBase64String(data.ToString());
            return NauParseResult<string>.ForValue(Encoding.UTF8.GetString(bytes));
        }
        catch (FormatException)
        {
            return NauParseResult<string>.ForError($"ERROR password file {fileName}: not valid base64");
        }
    }

    /// <summary>
    /// Writes a password file: base64, no newline, mode 0600 on Unix (v3.25 used the umask, usually 0644).
    /// Overwrites an existing file and tightens its mode.
    /// </summary>
    /// <returns>The raw line v3.25 prints: <c>password file saved to: FILE</c>.</returns>
    public static string Write(string path, string password)
    {
        ArgumentNullException.ThrowIfNull(path);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        {
            var bytes = Encoding.ASCII.GetBytes(Encode(password));
            stream.Write(bytes);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return SavedMessage(path);
    }

    /// <summary>The confirmation line v3.25 prints (raw).</summary>
    public static string SavedMessage(string path) => $"password file saved to: {path}";
}
