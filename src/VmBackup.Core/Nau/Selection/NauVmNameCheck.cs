namespace VmBackup.Core.Nau.Selection;

/// <summary>The result of <see cref="NauPoolChecks.VerifyVmName"/>: the VM's ref, or an error for that VM.</summary>
/// <param name="Ref">The VM to back up (the first non-snapshot object with the name); null on error.</param>
/// <param name="LogLines">Lines to log before the error (the duplicate line).</param>
/// <param name="Error">v3.25's message, e.g. <c>ERROR more than one vm with the name X</c>; null on success.</param>
public sealed record NauVmNameCheck(string? Ref, IReadOnlyList<NauLogLine> LogLines, string? Error)
{
    /// <summary>True when a single VM was found.</summary>
    public bool Success => Ref is not null;
}
