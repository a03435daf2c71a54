namespace VmBackup.Core.Reporting;

/// <summary>One SMTP reply: the three-digit code and the text of each line (multi-line replies keep every line).</summary>
internal sealed record SmtpReply(int Code, IReadOnlyList<string> Lines)
{
    public bool IsPositive => Code is >= 200 and < 400;

    /// <summary><c>535 5.7.8 Error: authentication failed</c> (lines joined by a space).</summary>
    public override string ToString() => Code.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + string.Join(' ', Lines);
}
