namespace VmBackup.Core.Nau;

/// <summary>
/// One console line as NAUbackup v3.25 prints it: either through its <c>log()</c> function
/// (<see cref="Timestamped"/>, printed as <c>YYYY-MM-DD-(HH:MM:SS) - message</c>) or with a bare
/// <c>print</c> (raw, no timestamp).
/// </summary>
/// <param name="Message">The message text, exactly (trailing spaces are significant).</param>
/// <param name="Timestamped">True when v3.25 prints the line through <c>log()</c>.</param>
/// <param name="SourceLine">The config-file line that caused the message, when there is one; used to keep file order.</param>
public sealed record NauLogLine(string Message, bool Timestamped, int? SourceLine = null)
{
    /// <summary>A timestamped (<c>log()</c>) line.</summary>
    public static NauLogLine Log(string message, int? sourceLine = null) => new(message, true, sourceLine);

    /// <summary>A raw (<c>print</c>) line without timestamp.</summary>
    public static NauLogLine Raw(string message, int? sourceLine = null) => new(message, false, sourceLine);
}
