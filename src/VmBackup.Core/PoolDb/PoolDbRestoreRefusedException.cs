namespace VmBackup.Core.PoolDb;

/// <summary>
/// A pool database restore that was not done: a foreign dump without <c>--force</c>, a real restore without
/// <c>--yes</c>, or a dump the pool rejected in its dry run.
/// </summary>
public sealed class PoolDbRestoreRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PoolDbRestoreRefusedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public PoolDbRestoreRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public PoolDbRestoreRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
