using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace XapiSim.Tests.Wire;

/// <summary>A raw TCP client for byte-exact HTTP checks.</summary>
internal sealed class RawHttpConnection : IDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly List<byte> _pending = [];

    private RawHttpConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _stream.ReadTimeout = 20_000;
    }

    public static RawHttpConnection Open(int port)
    {
        var client = new TcpClient();
        client.Connect("127.0.0.1", port);
        return new RawHttpConnection(client);
    }

    public void Send(string text) => Send(Encoding.UTF8.GetBytes(text));

    public void Send(byte[] bytes)
    {
        _stream.Write(bytes);
        _stream.Flush();
    }

    /// <summary>Sends a POST with a Content-Length body.</summary>
    public void Post(string path, string body, string version = "1.1", string extraHeaders = "")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        Send($"POST {path} HTTP/{version}\r\nHost: x\r\nContent-Type: text/xml\r\n{extraHeaders}Content-Length: {bytes.Length}\r\n\r\n");
        Send(bytes);
    }

    /// <summary>Reads the status line and headers (up to the blank line) as text.</summary>
    public string ReadHead()
    {
        while (true)
        {
            var text = Encoding.Latin1.GetString([.. _pending]);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.RemoveRange(0, end + 4);
                return text[..(end + 4)];
            }

            if (!Fill())
            {
                throw new EndOfStreamException("Connection closed before the response head ended: " + text);
            }
        }
    }

    /// <summary>Reads a whole response: head, then the body by content-length or until the connection closes.</summary>
    public RawResponse ReadResponse()
    {
        var head = ReadHead();
        var length = HeaderValue(head, "content-length");
        byte[] body;
        if (length is not null)
        {
            var count = int.Parse(length, CultureInfo.InvariantCulture);
            while (_pending.Count < count)
            {
                if (!Fill())
                {
                    throw new EndOfStreamException("Connection closed inside the body.");
                }
            }

            body = [.. _pending.GetRange(0, count)];
            _pending.RemoveRange(0, count);
        }
        else
        {
            while (Fill())
            {
            }

            body = [.. _pending];
            _pending.Clear();
        }

        return new RawResponse(head, body);
    }

    /// <summary>True when the server has closed the connection (reads return 0).</summary>
    public bool IsClosedByServer()
    {
        try
        {
            return _pending.Count == 0 && !Fill();
        }
        catch (IOException)
        {
            return true;
        }
    }

    public static string? HeaderValue(string head, string name)
    {
        foreach (var line in head.Split("\r\n").Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    public void Dispose() => _client.Dispose();

    private bool Fill()
    {
        var buffer = new byte[65536];
        var read = _stream.Read(buffer);
        if (read == 0)
        {
            return false;
        }

        _pending.AddRange(buffer.AsSpan(0, read));
        return true;
    }
}

internal sealed record RawResponse(string Head, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public string StatusLine => Head[..Head.IndexOf("\r\n", StringComparison.Ordinal)];

    public string? Header(string name) => RawHttpConnection.HeaderValue(Head, name);
}
