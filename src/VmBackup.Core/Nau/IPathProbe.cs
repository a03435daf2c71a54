namespace VmBackup.Core.Nau;

/// <summary>
/// Answers v3.25's <c>os.path.exists</c> questions (is argv[1] a password file, is argv[2] a config file,
/// does <c>backup_dir</c> exist) so that parsing does not depend on the machine it runs on.
/// </summary>
public interface IPathProbe
{
    /// <summary>True when <paramref name="path"/> names an existing file or directory (relative to the working directory).</summary>
    bool Exists(string path);
}
