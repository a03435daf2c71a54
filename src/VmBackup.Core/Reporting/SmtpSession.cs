using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace VmBackup.Core.Reporting;

/// <summary>
/// One SMTP client connection (RFC 5321): greeting, EHLO (HELO fallback), STARTTLS (RFC 3207) with a per-connection
/// certificate check, AUTH PLAIN or LOGIN (RFC 4954), MAIL, RCPT per recipient, DATA, QUIT.
/// </summary>
/// <remarks>
/// Written instead of <c>System.Net.Mail.SmtpClient</c>, whose STARTTLS can only be validated through the
/// process-wide <c>ServicePointManager</c> callback (banned here): a self-signed server could not be pinned.
/// Errors: <see cref="SocketException"/>/<see cref="IOException"/>/<see cref="AuthenticationException"/> for the
/// connection and TLS, <see cref="SmtpProtocolException"/> for refusals. Messages never contain AUTH payloads.
/// </remarks>
internal sealed class SmtpSession : IAsyncDisposable
{
    private readonly TcpClient _tcp = new();
    private Stream _stream = Stream.Null;
    private SmtpReplyReader _reader = new(Stream.Null);
    private HashSet<string> _extensions = new(StringComparer.OrdinalIgnoreCase);
    private string[] _authMechanisms = [];

    /// <summary>True once the connection runs over TLS.</summary>
    public bool IsEncrypted { get; private set; }

    /// <summary>Delivers one message; returns the recipients the server refused (the others got it).</summary>
    public static async Task<IReadOnlyList<string>> DeliverAsync(
        SmtpReportOptions options,
        string? password,
        string clientDomain,
        SmtpTlsPolicy tls,
        byte[] data,
        CancellationToken cancellationToken)
    {
        var session = new SmtpSession();
        await using (session.ConfigureAwait(false))
        {
            await session.ConnectAsync(options.Server, options.Port, clientDomain, cancellationToken).ConfigureAwait(false);
            if (options.StartTls)
            {
                await session.StartTlsAsync(options.Server, clientDomain, tls, cancellationToken).ConfigureAwait(false);
            }

            if (options.User is not null)
            {
                await session.AuthenticateAsync(options.User, password ?? string.Empty, cancellationToken).ConfigureAwait(false);
            }

            var refused = await session.SendEnvelopeAsync(options.From, options.To, cancellationToken).ConfigureAwait(false);
            await session.SendDataAsync(data, cancellationToken).ConfigureAwait(false);
            await session.QuitAsync(cancellationToken).ConfigureAwait(false);
            return refused;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        _tcp.Dispose();
    }

    private async Task ConnectAsync(string host, int port, string clientDomain, CancellationToken cancellationToken)
    {
        await _tcp.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        _stream = _tcp.GetStream();
        _reader = new SmtpReplyReader(_stream);
        var greeting = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (greeting.Code != 220)
        {
            throw new SmtpProtocolException("Connection refused by server: " + greeting);
        }

        await HelloAsync(clientDomain, cancellationToken).ConfigureAwait(false);
    }

    private async Task HelloAsync(string clientDomain, CancellationToken cancellationToken)
    {
        var ehlo = await CommandAsync("EHLO " + clientDomain, cancellationToken).ConfigureAwait(false);
        if (ehlo.Code == 250)
        {
            _extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            _authMechanisms = [];
            foreach (var line in ehlo.Lines.Skip(1))
            {
                var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length == 0)
                {
                    continue;
                }

                _extensions.Add(words[0]);
                if (words[0].Equals("AUTH", StringComparison.OrdinalIgnoreCase))
                {
                    _authMechanisms = words[1..];
                }
            }

            return;
        }

        var helo = await CommandAsync("HELO " + clientDomain, cancellationToken).ConfigureAwait(false);
        Expect(helo, 250, "HELO");
        _extensions.Clear();
        _authMechanisms = [];
    }

    private async Task StartTlsAsync(string host, string clientDomain, SmtpTlsPolicy tls, CancellationToken cancellationToken)
    {
        if (!_extensions.Contains("STARTTLS"))
        {
            throw new SmtpProtocolException("STARTTLS extension not supported by server.");
        }

        var reply = await CommandAsync("STARTTLS", cancellationToken).ConfigureAwait(false);
        Expect(reply, 220, "STARTTLS");
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false, tls.Validate);
        _stream = ssl;
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException e) when (tls.RefusalReason is not null)
        {
            var presents = tls.RefusedFingerprint is null ? string.Empty : " (the server presents SHA-256 " + tls.RefusedFingerprint + ")";
            throw new AuthenticationException(
                "TLS certificate of " + host + " refused: " + tls.RefusalReason + presents + "; check it, then trust it system-wide or pin it (TlsFingerprint)", e);
        }

        IsEncrypted = true;
        _reader = new SmtpReplyReader(_stream);
        await HelloAsync(clientDomain, cancellationToken).ConfigureAwait(false);
    }

    private async Task AuthenticateAsync(string user, string password, CancellationToken cancellationToken)
    {
        if (!_extensions.Contains("AUTH"))
        {
            throw new SmtpProtocolException("SMTP AUTH extension not supported by server.");
        }

        if (_authMechanisms.Contains("PLAIN", StringComparer.OrdinalIgnoreCase))
        {
            var payload = Base64("\0" + user + "\0" + password);
            var reply = await CommandAsync("AUTH PLAIN " + payload, cancellationToken).ConfigureAwait(false);
            ExpectAuth(reply);
            return;
        }

        if (_authMechanisms.Contains("LOGIN", StringComparer.OrdinalIgnoreCase))
        {
            var reply = await CommandAsync("AUTH LOGIN", cancellationToken).ConfigureAwait(false);
            if (reply.Code == 334)
            {
                reply = await CommandAsync(Base64(user), cancellationToken).ConfigureAwait(false);
            }

            if (reply.Code == 334)
            {
                reply = await CommandAsync(Base64(password), cancellationToken).ConfigureAwait(false);
            }

            ExpectAuth(reply);
            return;
        }

        throw new SmtpProtocolException(
            "No suitable authentication method found (the server offers " + (_authMechanisms.Length == 0 ? "none" : string.Join(' ', _authMechanisms)) + "; VmBackup uses PLAIN or LOGIN).");

        static void ExpectAuth(SmtpReply reply)
        {
            if (reply.Code != 235)
            {
                throw new SmtpProtocolException("authentication failed: " + reply);
            }
        }
    }

    private async Task<IReadOnlyList<string>> SendEnvelopeAsync(string from, IReadOnlyList<string> to, CancellationToken cancellationToken)
    {
        var mail = await CommandAsync("MAIL FROM:<" + from + ">", cancellationToken).ConfigureAwait(false);
        Expect(mail, 250, "MAIL FROM:<" + from + ">");
        var refused = new List<string>();
        var lastRefusal = string.Empty;
        foreach (var recipient in to)
        {
            var rcpt = await CommandAsync("RCPT TO:<" + recipient + ">", cancellationToken).ConfigureAwait(false);
            if (rcpt.Code is not (250 or 251))
            {
                refused.Add(recipient);
                lastRefusal = rcpt.ToString();
            }
        }

        if (refused.Count == to.Count)
        {
            throw new SmtpProtocolException("all recipients were refused: " + lastRefusal);
        }

        return refused;
    }

    private async Task SendDataAsync(byte[] data, CancellationToken cancellationToken)
    {
        var reply = await CommandAsync("DATA", cancellationToken).ConfigureAwait(false);
        Expect(reply, 354, "DATA");
        await _stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        reply = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        Expect(reply, 250, "the message");
    }

    private async Task QuitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CommandAsync("QUIT", cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The message is delivered; a server that drops the line at QUIT is fine.
        }
    }

    private async Task<SmtpReply> CommandAsync(string command, CancellationToken cancellationToken)
    {
        if (command.Contains('\r', StringComparison.Ordinal) || command.Contains('\n', StringComparison.Ordinal))
        {
            throw new SmtpProtocolException("refusing to send a command with a line break");
        }

        await _stream.WriteAsync(Encoding.UTF8.GetBytes(command + "\r\n"), cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        return await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void Expect(SmtpReply reply, int code, string what)
    {
        if (reply.Code != code)
        {
            throw new SmtpProtocolException(what + " refused: " + reply);
        }
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
