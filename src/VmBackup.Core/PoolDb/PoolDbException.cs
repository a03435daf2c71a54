namespace VmBackup.Core.PoolDb;

/// <summary>
/// A pool database dump (or its key) that cannot be used: bad XML, unsupported schema, truncated or tampered
/// encrypted container, wrong key, key file readable by others. The message is one line for the user and never holds
/// key material.
/// </summary>
public sealed class PoolDbException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PoolDbException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public PoolDbException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public PoolDbException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
