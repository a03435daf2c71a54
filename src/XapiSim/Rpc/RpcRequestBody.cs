using System.Buffers;
using XapiSim.Http;

namespace XapiSim.Rpc;

/// <summary>Reads an RPC request body whole, within xapi's <c>http_limit_max_rpc_size</c> (300 KiB).</summary>
internal static class RpcRequestBody
{
    /// <summary>xapi's limit on an RPC body.</summary>
    public const int MaxBytes = 300 * 1024;

    /// <summary>
    /// The body bytes. Throws <see cref="RpcMalformedRequestException"/> when it exceeds <see cref="MaxBytes"/>
    /// (xapi's <c>Client_requested_size_over_limit</c>), and <see cref="EndOfStreamException"/> when the client closes
    /// early (xapi then just closes the connection).
    /// </summary>
    public static async ValueTask<byte[]> ReadAsync(HttpExchange exchange, CancellationToken cancellationToken)
    {
        if (exchange.RequestContentLength is { } declared)
        {
            if (declared > MaxBytes)
            {
                throw new RpcMalformedRequestException("Http_svr.Client_requested_size_over_limit");
            }

            var body = new byte[declared];
            await exchange.RequestBody.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
            return body;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var collected = new MemoryStream();
            int read;
            while ((read = await exchange.RequestBody.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (collected.Length + read > MaxBytes)
                {
                    throw new RpcMalformedRequestException("Http_svr.Client_requested_size_over_limit");
                }

                collected.Write(buffer, 0, read);
            }

            return collected.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
