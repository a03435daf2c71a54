using System.Globalization;
using System.Text;

namespace VmBackup.Core.Reporting;

/// <summary>
/// Reads SMTP replies (RFC 5321 §4.2: <c>250-first</c> … <c>250 last</c>) from a stream, byte by byte through a small
/// buffer. A new reader is made after STARTTLS; the server sends nothing between its 220 and the TLS handshake.
/// </summary>
internal sealed class SmtpReplyReader
{
    private const int MaxLineLength = 4096;
    private const int MaxLines = 200;
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[1024];
    private int _start;
    private int _end;

    public SmtpReplyReader(Stream stream) => _stream = stream;

    public async Task<SmtpReply> ReadAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code)
                || (line.Length > 3 && line[3] is not (' ' or '-')))
            {
                throw new SmtpProtocolException("malformed reply from server: " + Printable(line));
            }

            lines.Add(line.Length > 4 ? line[4..] : string.Empty);
            if (line.Length == 3 || line[3] == ' ')
            {
                return new SmtpReply(code, lines);
            }

            if (lines.Count > MaxLines)
            {
                throw new SmtpProtocolException("reply from server has more than " + MaxLines + " lines");
            }
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new List<byte>(128);
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await _stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
                if (_end == 0)
                {
                    throw new IOException("Connection unexpectedly closed");
                }
            }

            var b = _buffer[_start++];
            if (b == (byte)'\n')
            {
                if (line.Count > 0 && line[^1] == (byte)'\r')
                {
                    line.RemoveAt(line.Count - 1);
                }

                return Encoding.UTF8.GetString([.. line]);
            }

            line.Add(b);
            if (line.Count > MaxLineLength)
            {
                throw new SmtpProtocolException("reply line from server longer than " + MaxLineLength + " bytes");
            }
        }
    }

    private static string Printable(string line) => line.Length > 200 ? line[..200] + "…" : line;
}
