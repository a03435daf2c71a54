namespace VmBackup.Core.HostBackup;

/// <summary>A host backup that cannot be made, read or restored; the message is one line for the user.</summary>
public sealed class HostBackupException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HostBackupException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public HostBackupException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public HostBackupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
