namespace VmBackup.Core.Reporting;

/// <summary>
/// The server answered, but not as needed (v3.25's <c>SMTPException</c> family): a refused greeting, AUTH,
/// sender, recipients or message, or a missing STARTTLS. The message quotes the command and the server's reply,
/// never an AUTH payload.
/// </summary>
internal sealed class SmtpProtocolException : Exception
{
    public SmtpProtocolException(string message)
        : base(message)
    {
    }

    public SmtpProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SmtpProtocolException()
    {
    }
}
