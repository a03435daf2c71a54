namespace VmBackup.Core.Verify;

/// <summary>Collects the failures and warnings of one verification, in the order found.</summary>
internal sealed class VerificationFindings
{
    public List<VerificationFailure> Failures { get; } = [];

    public List<string> Warnings { get; } = [];

    public void Fail(string file, long? offset, string message, bool offsetInDecompressedStream = false) =>
        Failures.Add(new VerificationFailure(file, offset, message, offsetInDecompressedStream));

    public void Warn(string message) => Warnings.Add(message);
}
