namespace VmBackup.Core.Restore;

/// <summary>
/// A restore or health check was refused or failed for a reason the user can act on (damaged backup, unknown SR,
/// name or identity conflict, XAPI error). The message is one or more complete sentences meant to be printed without a
/// stack trace; it never holds a secret.
/// </summary>
public sealed class RestoreRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RestoreRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public RestoreRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public RestoreRefusedException()
        : base("restore refused")
    {
    }
}
