using VmBackup.Core.Nau;

namespace VmBackup.Core.Reporting;

/// <summary>The outcome of <see cref="SmtpReportSender.SendAsync"/>; a failed mail never changes the run's result.</summary>
/// <param name="Sent">True when the server accepted the message (for at least one recipient).</param>
/// <param name="Attempts">Connections tried (1 to <see cref="SmtpReportOptions.Attempts"/>; 0 when nothing was tried).</param>
/// <param name="Lines">
/// Console lines to print, in order: v3.25's raw <c>Exception: socket.error -  &lt;e&gt;</c> /
/// <c>Exception: SMTPException - &lt;msg&gt;</c> per failed attempt, then one timestamped line: the recipients on
/// success, <c>WARNING e-mail report not sent …</c> on failure. Never contains the password.
/// </param>
public sealed record SmtpSendResult(bool Sent, int Attempts, IReadOnlyList<NauLogLine> Lines);
