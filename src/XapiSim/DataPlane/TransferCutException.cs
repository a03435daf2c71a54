namespace XapiSim.DataPlane;

/// <summary>Thrown by the <see cref="TransferFaults.CutExportAfterBytes"/> fault: the connection is dropped mid-body.</summary>
internal sealed class TransferCutException : IOException
{
    public TransferCutException()
        : base("The export was cut by fault injection.")
    {
    }

    public TransferCutException(string message)
        : base(message)
    {
    }

    public TransferCutException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
