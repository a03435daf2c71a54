namespace VmBackup.Core.Nau.CommandLine;

/// <summary>
/// The first positional argument: a literal password, or (when it names an existing path) a password file
/// holding base64 of the password. Decode a file with <see cref="NauPasswordFile.Decode"/>.
/// </summary>
/// <param name="Value">The literal password or the file path, as given.</param>
/// <param name="IsFile">True when the argument names an existing path (v3.25 rule: any existing path is a password file).</param>
public sealed record NauPasswordSource(string Value, bool IsFile)
{
    /// <summary>Never print the password.</summary>
    public override string ToString() => IsFile ? $"password-file {Value}" : "password ***";
}
