namespace XapiSim.Http;

/// <summary>
/// A request body of known length. Reading stops at the declared length, or earlier if the client closes the
/// connection (then <see cref="EndedEarly"/> is true): xapi handlers decide themselves whether that is premature.
/// </summary>
internal sealed class ContentLengthRequestStream(ConnectionReader reader, long length) : RequestBodyStream
{
    private long _remaining = length;

    public override bool IsComplete => _remaining == 0;

    public bool EndedEarly { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_remaining == 0 || buffer.IsEmpty)
        {
            return 0;
        }

        var read = await reader.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _remaining)], cancellationToken).ConfigureAwait(false);
        Account(read);
        return read;
    }

    public override int Read(Span<byte> buffer)
    {
        if (_remaining == 0 || buffer.IsEmpty)
        {
            return 0;
        }

        var read = reader.Read(buffer[..(int)Math.Min(buffer.Length, _remaining)]);
        Account(read);
        return read;
    }

    private void Account(int read)
    {
        if (read == 0)
        {
            EndedEarly = true;
            _remaining = 0;
            MarkBroken();
            return;
        }

        _remaining -= read;
        BytesRead += read;
    }
}
