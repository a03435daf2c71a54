namespace VmBackup.Core.Metadata;

/// <summary>A metadata backup, list or restore that cannot be done; the message is for the user (no stack trace needed).</summary>
public sealed class MetadataBackupException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MetadataBackupException()
    {
    }

    /// <summary>Creates the exception with a message for the user.</summary>
    public MetadataBackupException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message for the user and its cause.</summary>
    public MetadataBackupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
