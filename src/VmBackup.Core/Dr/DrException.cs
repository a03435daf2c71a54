namespace VmBackup.Core.Dr;

/// <summary>A DR command cannot go on (unknown SR, no metadata found, ...); the message is for the user.</summary>
public sealed class DrException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DrException()
    {
    }

    /// <summary>Creates the exception with a message for the user.</summary>
    public DrException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public DrException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
