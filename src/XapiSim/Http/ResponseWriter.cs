using System.Buffers;

namespace XapiSim.Http;

/// <summary>The write side of one connection. Small head+body pairs go out in one write; large bodies go straight through.</summary>
internal sealed class ResponseWriter(Stream transport)
{
    private const int CoalesceLimit = 64 * 1024;

    public Stream Transport => transport;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (head.IsEmpty)
        {
            await transport.WriteAsync(body, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (head.Length + body.Length <= CoalesceLimit)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(head.Length + body.Length);
            try
            {
                head.CopyTo(buffer);
                body.CopyTo(buffer.AsMemory(head.Length));
                await transport.WriteAsync(buffer.AsMemory(0, head.Length + body.Length), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return;
        }

        await transport.WriteAsync(head, cancellationToken).ConfigureAwait(false);
        if (!body.IsEmpty)
        {
            await transport.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Write(ReadOnlySpan<byte> head, ReadOnlySpan<byte> body)
    {
        if (!head.IsEmpty)
        {
            transport.Write(head);
        }

        if (!body.IsEmpty)
        {
            transport.Write(body);
        }
    }
}
