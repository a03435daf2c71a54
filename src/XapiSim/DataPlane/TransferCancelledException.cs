namespace XapiSim.DataPlane;

/// <summary>Thrown inside a transfer when its task was cancelled (<c>task.cancel</c>); the connection is then dropped.</summary>
internal sealed class TransferCancelledException : Exception
{
    public TransferCancelledException()
        : base("The transfer's task was cancelled.")
    {
    }

    public TransferCancelledException(string message)
        : base(message)
    {
    }

    public TransferCancelledException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
