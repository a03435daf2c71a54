using System.Buffers;
using System.Net;

namespace VmBackup.Xapi.Transfers;

/// <summary>
/// The body of an HTTP import: exactly <c>length</c> bytes from the source, with a <c>Content-Length</c> header (XAPI
/// refuses chunked uploads), copied through one pooled buffer, with progress. Records whether any byte was sent, so a
/// redirect knows whether the source must be rewound.
/// </summary>
internal sealed class UploadContent : HttpContent
{
    private readonly Stream _source;
    private readonly long _length;
    private readonly int _bufferSize;
    private readonly Action<long> _sent;

    public UploadContent(Stream source, long length, int bufferSize, Action<long> sent)
    {
        _source = source;
        _length = length;
        _bufferSize = bufferSize;
        _sent = sent;
        Headers.ContentLength = length;
        Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
    }

    /// <summary>Whether the body started to be sent (some of the source was consumed).</summary>
    public bool Started { get; private set; }

    /// <summary>Bytes written to the connection.</summary>
    public long BytesSent { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        Started = true;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(_bufferSize, Math.Max(_length, 1)));
        try
        {
            while (BytesSent < _length)
            {
                var want = (int)Math.Min(buffer.Length, _length - BytesSent);
                var read = await _source.ReadAsync(buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new EndOfStreamException("The upload source ended after " + BytesSent + " of the " + _length + " bytes announced.");
                }

                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                BytesSent += read;
                _sent(BytesSent);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }
}
